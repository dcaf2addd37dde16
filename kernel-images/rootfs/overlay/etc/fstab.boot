# Mounted by /init (stage 2) in one `mount -a`: forks are expensive in the emulator.
proc      /proc           proc      nosuid,nodev,noexec             0 0
sysfs     /sys            sysfs     nosuid,nodev,noexec             0 0
devtmpfs  /dev            devtmpfs  nosuid,mode=0755                0 0
tmpfs     /tmp            tmpfs     nosuid,nodev,mode=1777          0 0
tmpfs     /run            tmpfs     nosuid,nodev,mode=0755          0 0
cgroup2   /sys/fs/cgroup  cgroup2   nosuid,nodev,noexec,nsdelegate  0 0
