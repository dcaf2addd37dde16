/* Diagnostics: to stderr and, once the port is open, to the host as LOG frames. */
#pragma once

#include <stdint.h>

void log_msg(uint32_t stream, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
