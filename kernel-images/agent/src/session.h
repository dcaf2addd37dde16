/* The thin client's socket: relays `docker` client sessions to the host under guest stream ids.
 * It is not /var/run/docker.sock: that path speaks Docker's Engine API over HTTP, served by the
 * engine through UNIX_LISTEN (unix_relay.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "frame.h"
#include "poll_set.h"

#define DEFAULT_CLIENT_SOCK "/run/slipway/cli.sock"

int session_server_open(const char *path, struct agent_error *err);
void session_collect(struct poll_set *ps);
/* True when the frame's stream belongs to a client session (and was relayed to it). */
bool session_on_host_frame(const struct frame_header *h, const uint8_t *payload);
bool session_id_in_use(uint32_t id);
void session_reap_dead(void);
