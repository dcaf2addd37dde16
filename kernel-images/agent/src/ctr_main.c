/*
 * slipway-ctr rm ID...
 *   Forgets containers in the guest: unmounts each rootfs, deletes the bundle, the writable
 *   layer and the cgroup parent. Missing parts are fine.
 * slipway-ctr start ID LOWER SPEC CONSOLE WORKDIR
 *   On the container's first start in this boot: the cgroup parent /sys/fs/cgroup/slipway/ID
 *   (controllers delegated, so memory.events outlives crun's own cgroup and tells OOM kills), the
 *   bundle /run/slipway/c/ID (tmpfs), the writable layer /var/lib/docker/containers/ID/{upper,work}
 *   on the Docker host's disk (kept across reboots), and the overlay rootfs over LOWER
 *   (colon-separated lower dirs, topmost first). Then WORKDIR inside the rootfs, and finally
 *   `crun run --bundle … --config SPEC [--console-socket CONSOLE] ID` in place of this process.
 *   The layer is an ext4 project of its own: with SLIPWAY_LAYER_BYTES set, the project's quota
 *   bounds it, so a container that fills its layer gets ENOSPC alone.
 * slipway-ctr mount ID LOWER
 *   The same first-start preparation, without running anything (`docker cp` into a container
 *   that has not run since the boot); a later start finds it done.
 * slipway-ctr flusher INTERVAL_MS DIR...
 *   Forever: every INTERVAL_MS, writes back what the guest cached for the filesystems holding
 *   DIRs (syncfs), so what containers write reaches the disk (and the 9p share reaches the
 *   host) within about that long even when nobody calls fsync. One process, no fork per round.
 * slipway-ctr opaque DIR
 *   Lists the directories under DIR (an overlay upper dir) that overlayfs marked opaque
 *   (trusted.overlay.opaque = "y"), relative to DIR, each followed by a NUL byte: a layer made
 *   from the upper dir needs them as `.wh..wh..opq` entries, and busybox tar drops xattrs.
 */
#include "ctr_main.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define CGROUP_ROOT "/sys/fs/cgroup/slipway"
#define BUNDLE_ROOT "/run/slipway/c"
#define LAYER_ROOT "/var/lib/docker/containers"
#define DISK_DEVICE "/dev/sda"
#ifndef PRJQUOTA
#define PRJQUOTA 2
#endif
#define CONTROLLERS "+cpu +memory +pids"

static int mkdir_p(const char *path, struct agent_error *err)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof buf)
		return agent_error_set(err, ENAMETOOLONG, "mkdir %s: path too long", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return agent_error_set(err, errno, "mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return agent_error_set(err, errno, "mkdir %s: %s", buf, strerror(errno));
	return 0;
}

static int write_file(const char *path, const char *text, struct agent_error *err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return agent_error_set(err, errno, "open %s: %s", path, strerror(errno));
	return write_all(fd, text, strlen(text), err);
}

static int delegate_cgroup(const char *dir, struct agent_error *err)
{
	char path[512];

	if (mkdir_p(dir, err) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	return write_file(path, CONTROLLERS, err);
}

/* The project id of a container's layer: from its hex id, never 0 (0 is "no project"). */
static unsigned layer_project(const char *id)
{
	char head[8];

	memcpy(head, id, 7);
	head[7] = '\0';
	return (unsigned)strtoul(head, NULL, 16) + 1;
}

/*
 * Makes DIR (empty, just created) the root of its own quota project, inherited by everything
 * created under it, and sets the project's hard limit from SLIPWAY_LAYER_BYTES (unset: no limit).
 */
static int limit_layer(const char *dir, const char *id, struct agent_error *err)
{
	const char *bytes = getenv("SLIPWAY_LAYER_BYTES");
	unsigned project = layer_project(id);
	struct fsxattr attr;
	cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return agent_error_set(err, errno, "open %s: %s", dir, strerror(errno));
	if (ioctl(fd, FS_IOC_FSGETXATTR, &attr) < 0)
		return agent_error_set(err, errno, "project of %s: %s", dir, strerror(errno));
	attr.fsx_projid = project;
	attr.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &attr) < 0)
		return agent_error_set(err, errno, "project of %s: %s", dir, strerror(errno));
	if (bytes == NULL || *bytes == '\0')
		return 0;
	struct dqblk quota = {
		.dqb_bhardlimit = (strtoull(bytes, NULL, 10) + 1023) / 1024,
		.dqb_bsoftlimit = 0,
		.dqb_valid = QIF_BLIMITS,
	};
	if (quotactl(QCMD(Q_SETQUOTA, PRJQUOTA), DISK_DEVICE, (int)project, (caddr_t)&quota) < 0)
		return agent_error_set(err, errno, "quota of %s: %s", dir, strerror(errno));
	return 0;
}

/* The writable layer on the disk: created once, kept across boots until `rm`. */
static int prepare_layer(const char *id, char *layer, size_t size, struct agent_error *err)
{
	char path[4096];
	struct stat st;

	snprintf(layer, size, LAYER_ROOT "/%s", id);
	snprintf(path, sizeof path, "%s/upper", layer);
	if (stat(path, &st) == 0)
		return 0;
	if (mkdir_p(layer, err) < 0 || limit_layer(layer, id, err) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/work", layer);
	if (mkdir_p(path, err) < 0)
		return -1;
	/* upper last: its presence says the layer is complete. */
	snprintf(path, sizeof path, "%s/upper", layer);
	return mkdir_p(path, err);
}

static int prepare(const char *id, const char *lower, const char *workdir, struct agent_error *err)
{
	char bundle[512], layer[512], path[4096], options[4096];
	struct stat st;

	snprintf(bundle, sizeof bundle, BUNDLE_ROOT "/%s", id);
	snprintf(path, sizeof path, "%s/.mounted", bundle);
	if (stat(path, &st) < 0) {
		if (delegate_cgroup(CGROUP_ROOT, err) < 0)
			return -1;
		snprintf(path, sizeof path, CGROUP_ROOT "/%s", id);
		if (delegate_cgroup(path, err) < 0)
			return -1;
		snprintf(path, sizeof path, "%s/rootfs", bundle);
		if (mkdir_p(path, err) < 0 || prepare_layer(id, layer, sizeof layer, err) < 0)
			return -1;
		if ((size_t)snprintf(options, sizeof options, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", lower,
				     layer, layer) >= sizeof options)
			return agent_error_set(err, E2BIG, "overlay options too long");
		snprintf(path, sizeof path, "%s/rootfs", bundle);
		if (mount("overlay", path, "overlay", 0, options) < 0)
			return agent_error_set(err, errno, "mount overlay on %s: %s", path, strerror(errno));
		snprintf(path, sizeof path, "%s/.mounted", bundle);
		cleanup_close int marker = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (marker < 0)
			return agent_error_set(err, errno, "create %s: %s", path, strerror(errno));
	}
	if (workdir[0] != '\0' && strcmp(workdir, "/") != 0) {
		snprintf(path, sizeof path, "%s/rootfs%s", bundle, workdir);
		if (stat(path, &st) < 0 && mkdir_p(path, err) < 0)
			return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_container(const char *id)
{
	char path[512];

	if (id[0] == '\0' || strchr(id, '/'))
		return;
	snprintf(path, sizeof path, BUNDLE_ROOT "/%s/rootfs", id);
	umount2(path, MNT_DETACH);
	snprintf(path, sizeof path, BUNDLE_ROOT "/%s", id);
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	snprintf(path, sizeof path, LAYER_ROOT "/%s", id);
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	snprintf(path, sizeof path, CGROUP_ROOT "/%s/ctr", id);
	rmdir(path);
	snprintf(path, sizeof path, CGROUP_ROOT "/%s", id);
	rmdir(path);
}

static int flusher(int argc, char **argv)
{
	long interval_ms = strtol(argv[2], NULL, 10);
	struct timespec pause = {.tv_sec = interval_ms / 1000, .tv_nsec = (interval_ms % 1000) * 1000000L};
	int fds[8];
	int count = 0;
	cleanup_close int score = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	/* As the agent itself: an OOM kill would quietly stop the disk's write-back. */
	if (score >= 0 && write(score, "-999", 4) < 0)
		fprintf(stderr, "slipway-ctr: flusher: oom_score_adj: %s\n", strerror(errno));

	for (int i = 3; i < argc && count < 8; i++) {
		int fd = open(argv[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "slipway-ctr: flusher: open %s: %s\n", argv[i], strerror(errno));
			return 125;
		}
		fds[count++] = fd;
	}
	for (;;) {
		nanosleep(&pause, NULL);
		for (int i = 0; i < count; i++)
			syncfs(fds[i]);
	}
}

static size_t opaque_root_len;

static int opaque_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char value[2];
	(void)st;
	(void)ftw;
	if (type != FTW_D || strlen(path) <= opaque_root_len)
		return 0;
	if (lgetxattr(path, "trusted.overlay.opaque", value, sizeof value) == 1 && value[0] == 'y')
		fwrite(path + opaque_root_len + 1, 1, strlen(path + opaque_root_len + 1) + 1, stdout);
	return 0;
}

static int list_opaque(const char *dir)
{
	opaque_root_len = strlen(dir);
	while (opaque_root_len > 1 && dir[opaque_root_len - 1] == '/')
		opaque_root_len--;
	if (nftw(dir, opaque_visit, 16, FTW_PHYS) < 0) {
		fprintf(stderr, "slipway-ctr: opaque %s: %s\n", dir, strerror(errno));
		return 125;
	}
	return fflush(stdout) == 0 ? 0 : 125;
}

int ctr_main(int argc, char **argv)
{
	struct agent_error err;
	char bundle[512];

	if (argc >= 4 && strcmp(argv[1], "flusher") == 0)
		return flusher(argc, argv);

	if (argc == 3 && strcmp(argv[1], "opaque") == 0)
		return list_opaque(argv[2]);

	if (argc >= 2 && strcmp(argv[1], "rm") == 0) {
		for (int i = 2; i < argc; i++)
			remove_container(argv[i]);
		return 0;
	}

	/* The rootfs without a start: `docker cp` into a container not started since the boot. */
	if (argc == 4 && strcmp(argv[1], "mount") == 0) {
		if (argv[2][0] == '\0' || strchr(argv[2], '/') || prepare(argv[2], argv[3], "", &err) < 0) {
			fprintf(stderr, "slipway-ctr: %s\n", argv[2][0] == '\0' || strchr(argv[2], '/') ? "bad container id" : err.message);
			return 125;
		}
		return 0;
	}

	if (argc != 7 || strcmp(argv[1], "start") != 0) {
		fputs("usage: slipway-ctr start ID LOWER SPEC CONSOLE WORKDIR\n"
		      "       slipway-ctr mount ID LOWER\n"
		      "       slipway-ctr rm ID...\n"
		      "       slipway-ctr flusher INTERVAL_MS DIR...\n"
		      "       slipway-ctr opaque DIR\n",
		      stderr);
		return 125;
	}
	const char *id = argv[2], *lower = argv[3], *spec = argv[4], *console = argv[5], *workdir = argv[6];
	if (id[0] == '\0' || strchr(id, '/') || prepare(id, lower, workdir, &err) < 0) {
		fprintf(stderr, "slipway-ctr: %s\n", id[0] == '\0' || strchr(id, '/') ? "bad container id" : err.message);
		return 125;
	}
	snprintf(bundle, sizeof bundle, BUNDLE_ROOT "/%s", id);
	/* State of a crun that died itself would make `crun run` refuse the ID. */
	char state[512];
	snprintf(state, sizeof state, "/run/crun/%s", id);
	nftw(state, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (console[0] != '\0') {
		char *const args[] = {"crun", "run", "--bundle", bundle, "--config", (char *)spec, "--console-socket", (char *)console, (char *)id, NULL};
		execvp("crun", args);
	} else {
		char *const args[] = {"crun", "run", "--bundle", bundle, "--config", (char *)spec, (char *)id, NULL};
		execvp("crun", args);
	}
	fprintf(stderr, "slipway-ctr: exec crun: %s\n", strerror(errno));
	return 125;
}
