/* `slipway-ctr`: the agent binary started under that name prepares a container's rootfs and
 * execs crun, in one process (a shell script doing the same cost two extra forks per start). */
#pragma once

/* Execs crun on success; returns 125 (Docker's daemon-error code) when preparing fails. */
int ctr_main(int argc, char **argv);
