// i386 system call numbers of Linux 6.1 (arch/x86/entry/syscalls/syscall_32.tbl): the guest's
// kernel. Index = number; '' marks numbers the table leaves unassigned. Numbers, not names, are
// what a seccomp filter compares, so the profile's names are resolved through this table.
const names: readonly string[] = [
  'restart_syscall', 'exit', 'fork', 'read', 'write', 'open',  // 0
  'close', 'waitpid', 'creat', 'link', 'unlink', 'execve',  // 6
  'chdir', 'time', 'mknod', 'chmod', 'lchown', 'break',  // 12
  'oldstat', 'lseek', 'getpid', 'mount', 'umount', 'setuid',  // 18
  'getuid', 'stime', 'ptrace', 'alarm', 'oldfstat', 'pause',  // 24
  'utime', 'stty', 'gtty', 'access', 'nice', 'ftime',  // 30
  'sync', 'kill', 'rename', 'mkdir', 'rmdir', 'dup',  // 36
  'pipe', 'times', 'prof', 'brk', 'setgid', 'getgid',  // 42
  'signal', 'geteuid', 'getegid', 'acct', 'umount2', 'lock',  // 48
  'ioctl', 'fcntl', 'mpx', 'setpgid', 'ulimit', 'oldolduname',  // 54
  'umask', 'chroot', 'ustat', 'dup2', 'getppid', 'getpgrp',  // 60
  'setsid', 'sigaction', 'sgetmask', 'ssetmask', 'setreuid', 'setregid',  // 66
  'sigsuspend', 'sigpending', 'sethostname', 'setrlimit', 'getrlimit', 'getrusage',  // 72
  'gettimeofday', 'settimeofday', 'getgroups', 'setgroups', 'select', 'symlink',  // 78
  'oldlstat', 'readlink', 'uselib', 'swapon', 'reboot', 'readdir',  // 84
  'mmap', 'munmap', 'truncate', 'ftruncate', 'fchmod', 'fchown',  // 90
  'getpriority', 'setpriority', 'profil', 'statfs', 'fstatfs', 'ioperm',  // 96
  'socketcall', 'syslog', 'setitimer', 'getitimer', 'stat', 'lstat',  // 102
  'fstat', 'olduname', 'iopl', 'vhangup', 'idle', 'vm86old',  // 108
  'wait4', 'swapoff', 'sysinfo', 'ipc', 'fsync', 'sigreturn',  // 114
  'clone', 'setdomainname', 'uname', 'modify_ldt', 'adjtimex', 'mprotect',  // 120
  'sigprocmask', 'create_module', 'init_module', 'delete_module', 'get_kernel_syms', 'quotactl',  // 126
  'getpgid', 'fchdir', 'bdflush', 'sysfs', 'personality', 'afs_syscall',  // 132
  'setfsuid', 'setfsgid', '_llseek', 'getdents', '_newselect', 'flock',  // 138
  'msync', 'readv', 'writev', 'getsid', 'fdatasync', '_sysctl',  // 144
  'mlock', 'munlock', 'mlockall', 'munlockall', 'sched_setparam', 'sched_getparam',  // 150
  'sched_setscheduler', 'sched_getscheduler', 'sched_yield', 'sched_get_priority_max', 'sched_get_priority_min', 'sched_rr_get_interval',  // 156
  'nanosleep', 'mremap', 'setresuid', 'getresuid', 'vm86', 'query_module',  // 162
  'poll', 'nfsservctl', 'setresgid', 'getresgid', 'prctl', 'rt_sigreturn',  // 168
  'rt_sigaction', 'rt_sigprocmask', 'rt_sigpending', 'rt_sigtimedwait', 'rt_sigqueueinfo', 'rt_sigsuspend',  // 174
  'pread64', 'pwrite64', 'chown', 'getcwd', 'capget', 'capset',  // 180
  'sigaltstack', 'sendfile', 'getpmsg', 'putpmsg', 'vfork', 'ugetrlimit',  // 186
  'mmap2', 'truncate64', 'ftruncate64', 'stat64', 'lstat64', 'fstat64',  // 192
  'lchown32', 'getuid32', 'getgid32', 'geteuid32', 'getegid32', 'setreuid32',  // 198
  'setregid32', 'getgroups32', 'setgroups32', 'fchown32', 'setresuid32', 'getresuid32',  // 204
  'setresgid32', 'getresgid32', 'chown32', 'setuid32', 'setgid32', 'setfsuid32',  // 210
  'setfsgid32', 'pivot_root', 'mincore', 'madvise', 'getdents64', 'fcntl64',  // 216
  '', '', 'gettid', 'readahead', 'setxattr', 'lsetxattr',  // 222
  'fsetxattr', 'getxattr', 'lgetxattr', 'fgetxattr', 'listxattr', 'llistxattr',  // 228
  'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr', 'tkill', 'sendfile64',  // 234
  'futex', 'sched_setaffinity', 'sched_getaffinity', 'set_thread_area', 'get_thread_area', 'io_setup',  // 240
  'io_destroy', 'io_getevents', 'io_submit', 'io_cancel', 'fadvise64', '',  // 246
  'exit_group', 'lookup_dcookie', 'epoll_create', 'epoll_ctl', 'epoll_wait', 'remap_file_pages',  // 252
  'set_tid_address', 'timer_create', 'timer_settime', 'timer_gettime', 'timer_getoverrun', 'timer_delete',  // 258
  'clock_settime', 'clock_gettime', 'clock_getres', 'clock_nanosleep', 'statfs64', 'fstatfs64',  // 264
  'tgkill', 'utimes', 'fadvise64_64', 'vserver', 'mbind', 'get_mempolicy',  // 270
  'set_mempolicy', 'mq_open', 'mq_unlink', 'mq_timedsend', 'mq_timedreceive', 'mq_notify',  // 276
  'mq_getsetattr', 'kexec_load', 'waitid', '', 'add_key', 'request_key',  // 282
  'keyctl', 'ioprio_set', 'ioprio_get', 'inotify_init', 'inotify_add_watch', 'inotify_rm_watch',  // 288
  'migrate_pages', 'openat', 'mkdirat', 'mknodat', 'fchownat', 'futimesat',  // 294
  'fstatat64', 'unlinkat', 'renameat', 'linkat', 'symlinkat', 'readlinkat',  // 300
  'fchmodat', 'faccessat', 'pselect6', 'ppoll', 'unshare', 'set_robust_list',  // 306
  'get_robust_list', 'splice', 'sync_file_range', 'tee', 'vmsplice', 'move_pages',  // 312
  'getcpu', 'epoll_pwait', 'utimensat', 'signalfd', 'timerfd_create', 'eventfd',  // 318
  'fallocate', 'timerfd_settime', 'timerfd_gettime', 'signalfd4', 'eventfd2', 'epoll_create1',  // 324
  'dup3', 'pipe2', 'inotify_init1', 'preadv', 'pwritev', 'rt_tgsigqueueinfo',  // 330
  'perf_event_open', 'recvmmsg', 'fanotify_init', 'fanotify_mark', 'prlimit64', 'name_to_handle_at',  // 336
  'open_by_handle_at', 'clock_adjtime', 'syncfs', 'sendmmsg', 'setns', 'process_vm_readv',  // 342
  'process_vm_writev', 'kcmp', 'finit_module', 'sched_setattr', 'sched_getattr', 'renameat2',  // 348
  'seccomp', 'getrandom', 'memfd_create', 'bpf', 'execveat', 'socket',  // 354
  'socketpair', 'bind', 'connect', 'listen', 'accept4', 'getsockopt',  // 360
  'setsockopt', 'getsockname', 'getpeername', 'sendto', 'sendmsg', 'recvfrom',  // 366
  'recvmsg', 'shutdown', 'userfaultfd', 'membarrier', 'mlock2', 'copy_file_range',  // 372
  'preadv2', 'pwritev2', 'pkey_mprotect', 'pkey_alloc', 'pkey_free', 'statx',  // 378
  'arch_prctl', 'io_pgetevents', 'rseq', '', '', '',  // 384
  '', '', '', 'semget', 'semctl', 'shmget',  // 390
  'shmctl', 'shmat', 'shmdt', 'msgget', 'msgsnd', 'msgrcv',  // 396
  'msgctl', 'clock_gettime64', 'clock_settime64', 'clock_adjtime64', 'clock_getres_time64', 'clock_nanosleep_time64',  // 402
  'timer_gettime64', 'timer_settime64', 'timerfd_gettime64', 'timerfd_settime64', 'utimensat_time64', 'pselect6_time64',  // 408
  'ppoll_time64', '', 'io_pgetevents_time64', 'recvmmsg_time64', 'mq_timedsend_time64', 'mq_timedreceive_time64',  // 414
  'semtimedop_time64', 'rt_sigtimedwait_time64', 'futex_time64', 'sched_rr_get_interval_time64', 'pidfd_send_signal', 'io_uring_setup',  // 420
  'io_uring_enter', 'io_uring_register', 'open_tree', 'move_mount', 'fsopen', 'fsconfig',  // 426
  'fsmount', 'fspick', 'pidfd_open', 'clone3', 'close_range', 'openat2',  // 432
  'pidfd_getfd', 'faccessat2', 'process_madvise', 'epoll_pwait2', 'mount_setattr', 'quotactl_fd',  // 438
  'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self', 'memfd_secret', 'process_mrelease', 'futex_waitv',  // 444
  'set_mempolicy_home_node',  // 450
];

/** Syscall name → number for AUDIT_ARCH_I386 under Linux 6.1. */
export const i386SyscallNumbers: ReadonlyMap<string, number> = new Map(
  names.flatMap((name, nr) => (name === '' ? [] : [[name, nr] as const])),
);
