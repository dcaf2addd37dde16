import { describe, expect, it } from 'vitest';
import { readText } from '../../src/lib/streams.ts';
import { FakeUnixSockets } from './unix-sockets.ts';

describe('FakeUnixSockets', () => {
  it('records listens and relays a client to the listener and back', async () => {
    const guest = new FakeUnixSockets();
    const listener = await guest.listenUnix('/var/run/docker.sock', async (socket) => {
      const request = await readText(socket.output);
      await socket.input.write(`got ${request}`);
      socket.close();
    });
    const client = guest.connect('/var/run/docker.sock');
    await client.request.write('GET /_ping');
    client.request.end();
    expect(await readText(client.response)).toBe('got GET /_ping');
    expect(client.closed).toBe(true);
    listener.dispose();
    expect(guest.calls).toEqual([
      { op: 'listen', path: '/var/run/docker.sock', mode: 0o660 },
      { op: 'dispose', path: '/var/run/docker.sock' },
    ]);
    expect(() => guest.connect('/var/run/docker.sock')).toThrow('No such file or directory');
  });
});
