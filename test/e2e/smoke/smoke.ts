import * as Comlink from 'comlink';
import type { EngineWorkerApi as WorkerApi } from '../../../src/protocol/ui.ts';

const worker = new Worker(new URL('../../../src/worker/main.ts', import.meta.url), { type: 'module' });
(window as unknown as { smoke: Comlink.Remote<WorkerApi> }).smoke = Comlink.wrap<WorkerApi>(worker);
