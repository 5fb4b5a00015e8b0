// Proves the operational endpoints: /health reports each dependency and answers 503 when one
// is down, /metrics serves Prometheus text, every response carries a request id, and the
// OpenAPI document is a valid OpenAPI 3.1 description of every route.

import type { Server } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createApp, routeTable } from '../../api/app';
import { createApiMetrics } from '../../api/metrics';
import { connectDatabase } from '../../db/client';
import { freePort } from '../../platform/ports';
import { request, useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });

async function withApp<T>(
  overrides: { databaseUrl?: string; temporalAddress?: string },
  body: (baseUrl: string) => Promise<T>,
): Promise<T> {
  const database = connectDatabase(overrides.databaseUrl ?? stack.databaseUrl, { poolMax: 1 });
  const connection = Connection.lazy({
    address: overrides.temporalAddress ?? stack.info.temporalAddress,
  });
  const app = createApp({
    ...stack.api,
    db: database.db,
    sql: database.sql,
    temporal: new Client({ connection, namespace: stack.info.namespace }),
    metrics: createApiMetrics(),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const address = server.address() as { port: number };
    return await body(`http://127.0.0.1:${address.port}`);
  } finally {
    server.closeAllConnections();
    server.close();
    await connection.close().catch(() => {});
    await database.close().catch(() => {});
  }
}

describe('GET /health', () => {
  it('is 200 with both dependencies up', async () => {
    const response = await stack.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('is 503 naming Temporal when Temporal is unreachable', async () => {
    const deadPort = await freePort();
    await withApp({ temporalAddress: `127.0.0.1:${deadPort}` }, async (baseUrl) => {
      const response = await request(baseUrl, 'GET', '/health');
      expect(response.status).toBe(503);
      expect(response.body.status).toBe('unavailable');
      expect(response.body.checks.database.status).toBe('up');
      expect(response.body.checks.temporal.status).toBe('down');
    });
  });

  it('is 503 naming the database when PostgreSQL is unreachable', async () => {
    const deadPort = await freePort();
    await withApp(
      { databaseUrl: `postgres://postgres:postgres@127.0.0.1:${deadPort}/nothing` },
      async (baseUrl) => {
        const response = await request(baseUrl, 'GET', '/health');
        expect(response.status).toBe(503);
        expect(response.body.checks.database.status).toBe('down');
        expect(response.body.checks.temporal.status).toBe('up');
      },
    );
  });
});

describe('request ids', () => {
  it('generates one when the caller sends none', async () => {
    const response = await stack.request('GET', '/health');
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f-]{36}$/);
  });

  it('keeps a sane caller id and replaces an unsafe one', async () => {
    const kept = await stack.request('GET', '/health', undefined, {
      'X-Request-Id': 'council-form-123',
    });
    expect(kept.headers.get('x-request-id')).toBe('council-form-123');
    const replaced = await stack.request('GET', '/health', undefined, {
      'X-Request-Id': 'bad id with spaces',
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('is echoed inside problem bodies', async () => {
    const response = await stack.request('GET', '/no/such/route', undefined, {
      'X-Request-Id': 'trace-me',
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      requestId: 'trace-me',
      instance: '/no/such/route',
      status: 404,
    });
  });
});

describe('malformed requests', () => {
  it('refuses broken JSON as problem+json naming the body', async () => {
    const response = await stack.request('POST', '/v1/probes', '{"requestedBy":', {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      type: 'urn:ims:problem:malformed_body',
      errors: [{ field: 'body' }],
    });
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await stack.request('POST', '/v1/probes', {
      requestedBy: 'x'.repeat(2_000_000),
    });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('urn:ims:problem:payload_too_large');
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with HTTP metrics by route pattern', async () => {
    await stack.request('GET', '/v1/probes/prb_00000000000000000000');
    const response = await stack.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /ims_http_request_duration_seconds_count\{method="GET",route="\/v1\/probes\/:probeId",status="404"\} \d+/,
    );
    expect(response.text).toContain('ims_api_process_cpu_seconds_total');
  });
});

describe('GET /v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document covering every route', async () => {
    const response = await stack.request('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(response.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    for (const route of routeTable(stack.api)) {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(
        response.body.paths[path]?.[route.method],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });
});
