/* `docker` thin client: the agent binary started as docker. */
#pragma once

/* Returns the process exit status. */
int client_main(int argc, char **argv);
