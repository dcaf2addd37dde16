// A recording fake of the Engine API for the CLI's tests (docker/cli's fakeClient): each test
// gives the routes it expects, every call is recorded with its arguments, and a route the test
// did not give fails loudly instead of pretending.
import type { EngineApi, VersionResponse } from '../../engine/api/types.ts';

export interface ApiCall {
  method: keyof EngineApi;
  args: unknown[];
}

export function fakeApi(routes: Partial<EngineApi>): { api: EngineApi; calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  const api = new Proxy({} as EngineApi, {
    get(_, name) {
      if (typeof name !== 'string') return undefined;
      const method = name as keyof EngineApi;
      return (...args: unknown[]) => {
        calls.push({ method, args });
        const route = routes[method] as ((...a: unknown[]) => unknown) | undefined;
        if (!route) throw new Error(`fake EngineApi: ${method} was not expected`);
        return route(...args);
      };
    },
  });
  return { api, calls };
}

/** What Slipway's daemon answers GET /version with, for a kernel and a crun version. */
export function versionResponse(kernel: string, gitCommit: string, crun: string): VersionResponse {
  const details = { ApiVersion: '1.50', Arch: '386', BuildTime: '', Experimental: 'false', GitCommit: gitCommit, GoVersion: 'none (TypeScript)', KernelVersion: kernel, MinAPIVersion: '1.24', Os: 'linux' };
  return {
    Platform: { Name: 'Slipway Engine' },
    Components: [
      { Name: 'Engine', Version: '0.1.0', Details: details },
      { Name: 'crun', Version: crun, Details: {} },
    ],
    Version: '0.1.0',
    ApiVersion: '1.50',
    MinAPIVersion: '1.24',
    GitCommit: gitCommit,
    GoVersion: 'none (TypeScript)',
    Os: 'linux',
    Arch: '386',
    KernelVersion: kernel,
    BuildTime: '',
  };
}
