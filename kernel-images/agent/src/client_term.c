#include "client_term.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int saved_fd = -1;

void term_make_raw(int fd)
{
	struct termios raw;

	if (tcgetattr(fd, &saved) < 0)
		return;
	saved_fd = fd;
	raw = saved;
	cfmakeraw(&raw);
	/* Keep output post-processing so plain "\n" from non-tty commands still returns the
	 * carriage. */
	raw.c_oflag |= saved.c_oflag & (OPOST | ONLCR);
	tcsetattr(fd, TCSADRAIN, &raw);
}

void term_restore(void)
{
	if (saved_fd >= 0) {
		tcsetattr(saved_fd, TCSADRAIN, &saved);
		saved_fd = -1;
	}
}

bool term_size(uint16_t *rows, uint16_t *cols)
{
	struct winsize size;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) < 0 &&
	    ioctl(STDIN_FILENO, TIOCGWINSZ, &size) < 0) {
		*rows = *cols = 0;
		return false;
	}
	*rows = size.ws_row;
	*cols = size.ws_col;
	return true;
}

void client_exit(int status)
{
	term_restore();
	exit(status);
}
