// Versions the daemon reports. The API version is the one Docker CLI v28 speaks.
export const ENGINE_VERSION = '0.1.0';
export const API_VERSION = '1.50';
export const MIN_API_VERSION = '1.24';
