/* UNIX_LISTEN: a unix socket in the guest whose connections the host answers (Docker's Engine
 * API on /var/run/docker.sock). The listener is a STREAM_LISTENER and each connection it accepts
 * a socket stream: tcp.c accepts and relays them exactly as it does TCP ones. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Payload: str path, u32 mode. Answers LISTENING (port 0) or ERROR. */
void unix_listen_start(uint32_t id, const uint8_t *payload, size_t len);
