// Published ports (`-p 8080:80`, `-P`): the agent listens on the guest's address and every
// accepted connection is relayed to the container's address, as docker-proxy does. Bindings
// with an empty host port (and -P) get a port from Docker's ephemeral range.
import type { Disposable, GuestPort, GuestSocket } from '../../protocol/guest/port.ts';
import type { PortBinding } from '../container/options-types.ts';
import { DaemonError } from '../container/state.ts';

const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

export type PortMapping = Record<string, PortBinding[]>;

export class PortPublisher {
  readonly #guest: GuestPort;
  readonly #used = new Set<number>();
  #next = EPHEMERAL_FIRST;

  constructor(guest: GuestPort) {
    this.#guest = guest;
  }

  /** Resolves the bindings to actual host ports (Docker's NetworkSettings.Ports). */
  resolve(bindings: Readonly<Record<string, PortBinding[]>>, exposed: readonly string[], publishAll: boolean): PortMapping {
    const out: PortMapping = {};
    const wanted: Record<string, PortBinding[]> = { ...bindings };
    if (publishAll) for (const key of exposed) wanted[key] ??= [{ HostIp: '', HostPort: '' }];
    for (const [key, list] of Object.entries(wanted)) {
      out[key] = list.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort || String(this.#ephemeral()) }));
    }
    return out;
  }

  /** Starts relays for TCP mappings; the disposer stops them. */
  async publish(mapping: PortMapping, containerIp: string, endpoint: { name: string; id: string }): Promise<Disposable> {
    const failed = (why: string) => new DaemonError(`failed to set up container networking: driver failed programming external connectivity on endpoint ${endpoint.name} (${endpoint.id}): ${why}`, 'system');
    const listeners: Disposable[] = [];
    const dispose = () => {
      for (const l of listeners) l.dispose();
      for (const list of Object.values(mapping)) for (const b of list) this.#used.delete(Number(b.HostPort));
    };
    try {
      for (const [key, list] of Object.entries(mapping)) {
        const [port = '', proto = 'tcp'] = key.split('/');
        if (proto !== 'tcp') continue;
        for (const b of list) {
          const hostPort = Number(b.HostPort);
          if (this.#used.has(hostPort)) {
            throw failed(`Bind for ${b.HostIp || '0.0.0.0'}:${hostPort} failed: port is already allocated`);
          }
          const listener = await this.#guest
            .listen(b.HostIp || '0.0.0.0', hostPort, (socket) => void this.#relay(socket, containerIp, Number(port)))
            .catch((e: Error) => {
              throw failed(`Error starting userland proxy: listen tcp4 0.0.0.0:${hostPort}: bind: address already in use (${e.message})`);
            });
          this.#used.add(hostPort);
          listeners.push(listener);
        }
      }
    } catch (e) {
      dispose();
      throw e;
    }
    return { dispose };
  }

  async #relay(client: GuestSocket, ip: string, port: number): Promise<void> {
    let upstream: GuestSocket;
    try {
      upstream = await this.#guest.connect(ip, port);
    } catch {
      client.close();
      return;
    }
    const pipe = async (from: GuestSocket, to: GuestSocket) => {
      try {
        for await (const chunk of from.output) await to.input.write(chunk);
        to.input.end();
      } catch {
        to.close();
        from.close();
      }
    };
    await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
  }

  #ephemeral(): number {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const p = this.#next;
      this.#next = p >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
      if (!this.#used.has(p)) return p;
    }
    throw new DaemonError('no free ports in the ephemeral range', 'system');
  }
}
