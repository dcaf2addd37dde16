/* The client's terminal: raw mode that is restored on every exit path, and its size. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void term_make_raw(int fd);
void term_restore(void);
/* Window size from stdout, else stdin; false when neither is a terminal. */
bool term_size(uint16_t *rows, uint16_t *cols);
/* Restores the terminal and exits. */
void client_exit(int status) __attribute__((noreturn));
