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
	/* Only `-it` asks for raw mode, and then the container's own pty already turns "\n" into
	 * "\r\n": output post-processing goes too, as with Docker's term.MakeRaw. */
	cfmakeraw(&raw);
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
