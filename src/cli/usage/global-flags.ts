// `docker`'s own options (docker/cli cli/flags/options.go), shown under "Global Options:" in `docker --help`.
// Defaults name /root/.docker because the guest's HOME is /root.
import type { FlagSpec } from '../flags/spec.ts';

export const globalFlags: readonly FlagSpec[] = [
  { name: 'config', kind: 'string', usage: 'Location of client config files', defaultText: '"/root/.docker"' },
  { name: 'context', short: 'c', kind: 'string', usage: 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")' },
  { name: 'debug', short: 'D', kind: 'bool', usage: 'Enable debug mode' },
  { name: 'host', short: 'H', kind: 'list', usage: 'Daemon socket to connect to' },
  { name: 'log-level', short: 'l', kind: 'string', usage: 'Set the logging level ("debug", "info", "warn", "error", "fatal")', defaultText: '"info"' },
  { name: 'tls', kind: 'bool', usage: 'Use TLS; implied by --tlsverify' },
  { name: 'tlscacert', kind: 'string', usage: 'Trust certs signed only by this CA', defaultText: '"/root/.docker/ca.pem"' },
  { name: 'tlscert', kind: 'string', usage: 'Path to TLS certificate file', defaultText: '"/root/.docker/cert.pem"' },
  { name: 'tlskey', kind: 'string', usage: 'Path to TLS key file', defaultText: '"/root/.docker/key.pem"' },
  { name: 'tlsverify', kind: 'bool', usage: 'Use TLS and verify the remote' },
  { name: 'version', short: 'v', kind: 'bool', usage: 'Print version information and quit' },
];
