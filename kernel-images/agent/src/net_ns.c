#include "net_ns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int netns_path(const char *name, char *path, size_t size, struct agent_error *err)
{
	if (name[0] == '\0' || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return agent_error_set(err, EINVAL, "invalid namespace name \"%s\"", name);
	if ((size_t)snprintf(path, size, NETNS_DIR "/%s", name) >= size)
		return agent_error_set(err, ENAMETOOLONG, "namespace name too long: %s", name);
	return 0;
}

int netns_create_and_enter(const char *path, struct agent_error *err)
{
	cleanup_close int pin = -1;
	int ns;

	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return agent_error_set(err, errno, "mkdir " NETNS_DIR ": %s", strerror(errno));
	pin = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (pin < 0)
		return agent_error_set(err, errno, "%s: %s", path,
				       errno == EEXIST ? "network namespace already exists"
						       : strerror(errno));
	if (unshare(CLONE_NEWNET) < 0) {
		agent_error_set(err, errno, "unshare network namespace: %s", strerror(errno));
		unlink(path);
		return -1;
	}
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		agent_error_set(err, errno, "bind %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		agent_error_set(err, errno, "open /proc/self/ns/net: %s", strerror(errno));
		netns_remove(path, &(struct agent_error){0});
		return -1;
	}
	return ns;
}

int netns_remove(const char *path, struct agent_error *err)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return agent_error_set(err, errno, "unmount %s: %s", path, strerror(errno));
	if (unlink(path) < 0 && errno != ENOENT)
		return agent_error_set(err, errno, "remove %s: %s", path, strerror(errno));
	return 0;
}
