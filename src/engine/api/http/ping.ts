// The routes of moby's system router that belong to the transport rather than to the daemon:
// `/_ping` (GET and HEAD), which clients call first to negotiate the API version from its
// headers, and the catch-all OPTIONS answer.
import { bytes, empty } from './response.ts';
import type { Router } from './router.ts';

export interface PingOptions {
  /**
   * Builder-Version: "2" tells clients to build with BuildKit (moby's default on Linux), "1"
   * with the classic builder's API (/build with a tar context).
   */
  readonly builderVersion: '1' | '2';
  /** The Swarm header: `inactive`, or `active/manager` … (moby: LocalNodeState[/role]). */
  readonly swarm?: string;
}

export function addPingRoutes(router: Router, options: PingOptions): Router {
  const headers = {
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Builder-Version': options.builderVersion,
    Swarm: options.swarm ?? 'inactive',
  };
  return router
    .options('/{anyroute:.*}', () => empty(200))
    .get('/_ping', () => bytes(200, 'text/plain; charset=utf-8', 'OK', headers))
    .head('/_ping', () => bytes(200, 'text/plain; charset=utf-8', '', headers));
}
