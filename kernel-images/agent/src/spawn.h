/* SPAWN streams: processes on pipes or a pty, and the reaper that reports their exit. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "poll_set.h"
#include "stream.h"

/* Handles a SPAWN frame for a new stream id: SPAWNED or ERROR goes to the host. */
void spawn_start(uint32_t id, const uint8_t *payload, size_t len);
void spawn_on_host_frame(struct stream *s, const struct frame_header *h, const uint8_t *payload);
void spawn_collect(struct poll_set *ps, struct stream *s);

/* SIGCHLD via signalfd; the caller blocks SIGCHLD first. */
int reaper_init(struct agent_error *err);
void reaper_collect(struct poll_set *ps);
