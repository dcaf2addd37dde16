// The boot view's model: a pure fold of the worker's boot events, so it is tested without a page.
import type { BootEvent } from '../protocol/ui.ts';

export interface AssetProgress {
  asset: string;
  loaded: number;
  /** 0 while unknown. */
  total: number;
}

export interface BootProgress {
  /** null until the worker says whether it restores a snapshot. */
  mode: 'cold' | 'snapshot' | null;
  phase: 'preparing' | 'downloading' | 'booting';
  /** In the order the downloads started. */
  assets: readonly AssetProgress[];
  loaded: number;
  total: number;
}

export const initialBootProgress: BootProgress = { mode: null, phase: 'preparing', assets: [], loaded: 0, total: 0 };

export function applyBootEvent(progress: BootProgress, event: BootEvent): BootProgress {
  switch (event.kind) {
    case 'plan':
      return { ...progress, mode: event.mode };
    case 'booting':
      return { ...progress, phase: 'booting' };
    case 'download': {
      const { asset, loaded, total } = event;
      const known = progress.assets.some((a) => a.asset === asset);
      const assets = known
        ? progress.assets.map((a) => (a.asset === asset ? { asset, loaded, total } : a))
        : [...progress.assets, { asset, loaded, total }];
      return {
        ...progress,
        phase: progress.phase === 'booting' ? 'booting' : 'downloading',
        assets,
        loaded: assets.reduce((sum, a) => sum + a.loaded, 0),
        total: assets.reduce((sum, a) => sum + Math.max(a.total, a.loaded), 0),
      };
    }
  }
}

/** Sizes as the page shows them: decimal units, as Docker prints sizes ("4.26MB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value}B` : `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}
