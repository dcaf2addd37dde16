// GET /containers/{id}/stats: moby's StatsResponse from the container's cgroup (memory, pids, CPU
// time), one sample with the previous one for CPU percentages; streamed once a second.
import { GuestPaths } from '../container/runtime.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { Engine } from '../engine.ts';
import type { EngineApi, JsonObject } from './types.ts';

const MEMORY_BYTES = 268435456;
const STREAM_INTERVAL_MS = 1000;
/** Without a stream, moby samples twice (one-shot skips the first). */
const PRE_SAMPLE_MS = 500;

interface CgroupSample {
  time: number;
  memory: number;
  limit: number;
  pids: number;
  cpuNs: number;
}

/** Reads the cgroups of several containers in one guest process. */
export async function sampleCgroups(engine: Engine, ids: readonly string[]): Promise<Map<string, CgroupSample>> {
  const out = new Map<string, CgroupSample>();
  if (!ids.length) return out;
  const script = 'for d in "$@"; do c=/sys/fs/cgroup$d; echo "$(cat $c/memory.current) $(cat $c/memory.max) $(cat $c/pids.current) $(grep usage_usec $c/cpu.stat)"; done';
  const r = await engine.runtime.run(['/bin/sh', '-c', script, 'slipway-stats', ...ids.map((id) => GuestPaths.cgroup(id))]);
  const time = engine.now();
  r.stdout.split('\n').forEach((line, i) => {
    const id = ids[i];
    if (!id || !line) return;
    const [memory = '0', limit = 'max', pids = '0', , cpu = '0'] = line.trim().split(/\s+/);
    out.set(id, { time, memory: Number(memory) || 0, limit: limit === 'max' ? MEMORY_BYTES : Number(limit), pids: Number(pids) || 0, cpuNs: (Number(cpu) || 0) * 1000 });
  });
  return out;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** moby's StatsResponse for a sample and the one before it (null: none). */
export function statsResponse(record: ContainerRecord, now: CgroupSample | undefined, before: CgroupSample | undefined): JsonObject {
  const cpu = (s: CgroupSample | undefined) => ({
    cpu_usage: { total_usage: s?.cpuNs ?? 0, usage_in_kernelmode: 0, usage_in_usermode: s?.cpuNs ?? 0 },
    // One CPU: the system's time is the wall clock.
    system_cpu_usage: s ? s.time * 1e6 : 0,
    online_cpus: s ? 1 : 0,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  return {
    name: record.Name,
    id: record.Id,
    read: now ? new Date(now.time).toISOString() : ZERO_TIME,
    preread: before ? new Date(before.time).toISOString() : ZERO_TIME,
    pids_stats: now ? { current: now.pids } : {},
    blkio_stats: { io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpu(now),
    precpu_stats: cpu(before),
    memory_stats: now ? { usage: now.memory, stats: {}, limit: now.limit } : {},
    networks: {},
  };
}

/**
 * Samples asked for in the same turn of the event loop share one guest process: `docker stats`
 * follows every container at once, and each guest process costs a fork in the emulator.
 */
function batchedSampler(engine: Engine): (id: string) => Promise<CgroupSample | undefined> {
  let batch: { ids: Set<string>; result: Promise<Map<string, CgroupSample>> } | null = null;
  return (id) => {
    if (!batch) {
      const ids = new Set<string>();
      const result = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
        batch = null;
        return sampleCgroups(engine, [...ids]);
      });
      batch = { ids, result };
    }
    batch.ids.add(id);
    return batch.result.then((samples) => samples.get(id));
  };
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function statsRoute(engine: Engine): Pick<EngineApi, 'containerStats'> {
  const sampleOne = batchedSampler(engine);
  return {
    async *containerStats(id, options, signal) {
      const record = engine.containers.registry.get(id);
      const sample = async () => (record.State.Running ? await sampleOne(record.Id) : undefined);
      if (options.stream === false) {
        const before = options.oneShot ? undefined : await sample();
        if (!options.oneShot) await sleep(PRE_SAMPLE_MS, signal);
        yield statsResponse(record, await sample(), before);
        return;
      }
      let before: CgroupSample | undefined;
      while (!signal.aborted) {
        const now = await sample();
        yield statsResponse(record, now, before);
        before = now;
        await sleep(STREAM_INTERVAL_MS, signal);
      }
    },
  };
}
