#include "unix_socket.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* mkdir -p of everything before the last '/' of path. */
static int make_parents(const char *path, struct agent_error *err)
{
	char dir[sizeof((struct sockaddr_un *)0)->sun_path];

	strcpy(dir, path);
	for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return agent_error_set(err, errno, "mkdir %s: %s", dir, strerror(errno));
		*slash = '/';
	}
	return 0;
}

static int remove_stale(const char *path, struct agent_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return agent_error_set(err, errno, "%s: %s", path, strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return agent_error_set(err, EEXIST, "%s exists and is not a socket", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return agent_error_set(err, errno, "unlink %s: %s", path, strerror(errno));
	return 0;
}

int unix_listen(const char *path, mode_t mode, int backlog, struct unix_socket_file *file,
		struct agent_error *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct stat st;
	cleanup_close int fd = -1;
	int result;

	if (path[0] != '/')
		return agent_error_set(err, EINVAL, "socket path is not absolute: %s", path);
	if (strlen(path) >= sizeof addr.sun_path)
		return agent_error_set(err, ENAMETOOLONG, "socket path too long: %s", path);
	strcpy(addr.sun_path, path);
	if (make_parents(path, err) < 0 || remove_stale(path, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return agent_error_set(err, errno, "socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		return agent_error_set(err, errno, "bind %s: %s", path, strerror(errno));
	/* Before listen(): no client connects while the umask's mode is still on the file. */
	if (chmod(path, mode) < 0 || lstat(path, &st) < 0) {
		agent_error_set(err, errno, "chmod %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	if (listen(fd, backlog) < 0) {
		agent_error_set(err, errno, "listen %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	if (file) {
		file->path = strdup(path);
		if (file->path == NULL) {
			unlink(path);
			return agent_error_set(err, ENOMEM, "out of memory");
		}
		file->dev = st.st_dev;
		file->ino = st.st_ino;
	}
	result = fd;
	fd = -1;
	return result;
}

void unix_socket_file_release(struct unix_socket_file *file)
{
	struct stat st;

	if (file->path == NULL)
		return;
	if (lstat(file->path, &st) == 0 && st.st_dev == file->dev && st.st_ino == file->ino)
		unlink(file->path);
	free(file->path);
	file->path = NULL;
}
