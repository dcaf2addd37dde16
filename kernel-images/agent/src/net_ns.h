/* Persistent network namespaces: files under /run/netns bind-mounted to a namespace, as
 * `ip netns add` keeps them, so crun can join one by path and it outlives its processes. */
#pragma once

#include <stddef.h>

#include "util.h"

#define NETNS_DIR "/run/netns"

/* Fills path with NETNS_DIR/name; rejects names that are empty, "." or "..", or contain '/'. */
int netns_path(const char *name, char *path, size_t size, struct agent_error *err);
/*
 * Moves the caller into a new network namespace and pins it at `path` (which must not exist).
 * Returns an fd of the new namespace.
 */
int netns_create_and_enter(const char *path, struct agent_error *err);
/* Unpins and removes `path`; a missing file is not an error. */
int netns_remove(const char *path, struct agent_error *err);
