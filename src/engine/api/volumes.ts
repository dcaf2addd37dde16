// The /volumes routes over the volume service (moby's filters, its errors and shapes).
import type { Engine } from '../engine.ts';
import { volumeInspect } from '../volume/records.ts';
import type { FilterArgs } from '../volume/filters.ts';
import type { EngineApi, Filters } from './types.ts';

type VolumeRoutes = Pick<EngineApi, 'volumeList' | 'volumeCreate' | 'volumeInspect' | 'volumeRemove' | 'volumePrune'>;

export function filterArgs(filters: Filters | undefined): FilterArgs {
  return new Map(Object.entries(filters ?? {}).map(([k, v]) => [k.toLowerCase(), [...new Set(v)]]));
}

export function volumeRoutes(engine: Pick<Engine, 'volumes'>): VolumeRoutes {
  const volumes = engine.volumes;
  return {
    async volumeList(options = {}) {
      return { Volumes: volumes.list(filterArgs(options.filters)).map(volumeInspect), Warnings: null };
    },
    async volumeCreate(body) {
      const v = await volumes.create({ name: body.Name, driver: body.Driver, labels: body.Labels ?? {}, options: body.DriverOpts ?? {} });
      return volumeInspect(v);
    },
    volumeInspect: async (name) => volumeInspect(volumes.get(name)),
    volumeRemove: (name, options = {}) => volumes.remove(name, { force: options.force }),
    async volumePrune(options = {}) {
      const report = await volumes.prune(filterArgs(options.filters));
      return { VolumesDeleted: report.deleted, SpaceReclaimed: report.reclaimed };
    },
  };
}
