/* `slipway-net`: the agent binary started under that name sets up container networking. */
#pragma once

/* Returns the process exit status: 0, 1 on failure, 2 on bad usage. */
int net_main(int argc, char **argv);
