// The client's own versions (docker/cli's version package and its default API version).
/** The Slipway release this client is part of (`docker info`'s Client Version). */
export const SLIPWAY_VERSION = '0.1.0';
/** The API version the client speaks. */
export const API_VERSION = '1.50';
/** The Docker CLI release whose flags, output and exit codes the thin client reproduces. */
export const DOCKER_CLI_COMPAT = '28.2.2';
