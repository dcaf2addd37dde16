// The daemon's one boundary: every route family over the engine's services, as one EngineApi.
import type { Engine } from '../engine.ts';
import { buildRoutes } from './build.ts';
import { containerRoutes } from './containers.ts';
import { execRoutes } from './exec.ts';
import { imageRoutes } from './images.ts';
import { networkRoutes } from './networks.ts';
import { statsRoute } from './stats.ts';
import { systemRoutes, type HostFacts } from './system.ts';
import type { EngineApi } from './types.ts';
import { volumeRoutes } from './volumes.ts';

export type { HostFacts };

export function createEngineApi(engine: Engine, host: HostFacts): EngineApi {
  return {
    ...systemRoutes(engine, host),
    ...containerRoutes(engine),
    ...statsRoute(engine),
    ...execRoutes(engine),
    ...imageRoutes(engine),
    ...buildRoutes(engine),
    ...volumeRoutes(engine),
    ...networkRoutes(engine),
  };
}
