/* Socket relays: outgoing TCP connections (IPv4 only), TCP listeners, and the connections that
 * every listener accepts, TCP or unix (unix_relay.c opens the unix ones). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "poll_set.h"
#include "stream.h"

void tcp_connect_start(uint32_t id, const uint8_t *payload, size_t len);
void tcp_listen_start(uint32_t id, const uint8_t *payload, size_t len);
void tcp_on_host_frame(struct stream *s, const struct frame_header *h, const uint8_t *payload);
void tcp_collect(struct poll_set *ps, struct stream *s);
