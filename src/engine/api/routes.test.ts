// The HTTP adapter's reading of moby's query parameters, against a recording fake of the API.
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../../cli/testing/fake-api.ts';
import { HttpApiServer } from './http/server.ts';
import { TestClient } from './http/testing/pipe.ts';
import { apiRouter } from './routes.ts';
import type { DiskUsageResponse } from './types.ts';

const USAGE: DiskUsageResponse = { LayersSize: 0, Images: null, Containers: null, Volumes: [], BuildCache: null };

describe('GET /system/df', () => {
  it("passes moby's type= from API 1.42 on, ignores it before, and refuses an unknown object type", async () => {
    const { api, calls } = fakeApi({ diskUsage: async () => USAGE });
    const server = new HttpApiServer({ router: apiRouter(api), limits: { lingerMs: 20 } });
    const client = new TestClient();
    void server.serve(client.connection);
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: docker\r\n\r\n`;
    await client.send(get('/v1.50/system/df?type=volume&type=image') + get('/v1.41/system/df?type=volume') + get('/system/df') + get('/v1.50/system/df?type=layers'));
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const r = await client.response();
      answers.push([r.status, r.body]);
    }
    const body = JSON.stringify(USAGE) + '\n';
    expect(answers).toEqual([
      [200, body],
      [200, body],
      [200, body],
      [400, '{"message":"unknown object type: layers"}\n'],
    ]);
    expect(calls.map((c) => c.args)).toEqual([[{ type: ['volume', 'image'] }], [{}], [{}]]);
  });
});
