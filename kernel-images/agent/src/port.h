/* The virtio port to the host: opening it and sending frames (blocking write() only). */
#pragma once

#include <stdint.h>

#include "frame.h"
#include "util.h"

#define DEFAULT_PORT_PATH "/dev/vport1p1"

/* Opens path, retrying for up to ~10 s while the device node does not exist yet. */
int port_open(const char *path, struct agent_error *err);
/* Uses an already-open fd (tests pass one end of a socketpair). */
int port_adopt(int fd, struct agent_error *err);
int port_fd(void);

/* A writer reserved for building one outgoing frame at a time. */
struct frame_writer *port_writer(void);
/* Sends what port_writer() holds. A dead port is fatal: /init restarts the agent. */
void port_send_built(uint8_t type, uint8_t chan, uint32_t stream);
void port_send_frame(struct frame_writer *w, uint8_t type, uint8_t chan, uint32_t stream);

void port_send_empty(uint8_t type, uint8_t chan, uint32_t stream);
void port_send_u32(uint8_t type, uint8_t chan, uint32_t stream, uint32_t value);
void port_send_credit(uint32_t stream, uint8_t chan, uint32_t bytes);
void port_send_exit(uint32_t stream, int32_t code, int32_t signo);
void port_send_error(uint32_t stream, int code, const char *message);
