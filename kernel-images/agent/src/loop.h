/* The agent's single poll() loop and the dispatch of frames from the host. */
#pragma once

#include "util.h"

int loop_init(struct agent_error *err);
void loop_run(void) __attribute__((noreturn));
