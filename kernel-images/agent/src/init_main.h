/* `docker-init`: the agent binary bind-mounted into a container for `docker run --init`. */
#pragma once

/* Runs argv[1..] as a child, forwards signals to it, reaps every orphan, and returns the
 * child's exit status (128 + signal when it was killed), as tini does for Docker. */
int init_main(int argc, char **argv);
