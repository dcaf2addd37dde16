/* The forked side of SPAWN and the pty it may need. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* What the child writes to the report pipe when it fails before or at exec. */
enum child_stage { CHILD_STAGE_PTY = 1, CHILD_STAGE_IDS, CHILD_STAGE_CWD, CHILD_STAGE_EXEC, CHILD_STAGE_NOTIFY };

/* The fd a SPAWN_NOTIFY_FD program writes to. */
#define NOTIFY_CHILD_FD 3
struct child_report {
	int32_t stage;
	int32_t error;
};

struct child_setup {
	int stdio[3];
	/* When set, the child opens this pty slave as its controlling terminal and stdio. */
	const char *pty_slave;
	uint32_t uid;
	uint32_t gid;
	const char *cwd;
	char **argv;
	char **env;
	int report_fd;
	/* SPAWN_NOTIFY_FD: the pipe's write end, made the program's NOTIFY_CHILD_FD; else -1. */
	int notify_fd;
};

/* Runs in the forked child: never returns. */
void child_exec(const struct child_setup *c) __attribute__((noreturn));

/* Opens a pty master (close-on-exec) of rows x cols and names its slave. */
int pty_open(uint16_t rows, uint16_t cols, char *slave, size_t slave_size, struct agent_error *err);
