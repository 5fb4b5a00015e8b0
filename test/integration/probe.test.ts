// Proves the whole chain on the real stack: the API starts a workflow on the Temporal dev
// server, the worker's activity writes to PostgreSQL, and the result reads back through the API.
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();

describe('probes', () => {
  it('starts a workflow through the API and reads its result back', async () => {
    const started = await stack.request('POST', '/v1/probes', { requestedBy: 'test' });
    expect(started.status).toBe(202);
    expect(started.body.state).toBe('running');
    expect(started.headers.get('location')).toBe(`/v1/probes/${started.body.probeId}`);

    const read = await stack.request('GET', `/v1/probes/${started.body.probeId}?waitMs=20000`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      probeId: started.body.probeId,
      state: 'completed',
      result: {
        databaseName: stack.databaseName,
        taskQueue: stack.taskQueue,
        workflowId: started.body.probeId,
      },
    });
    const rows = await stack.database
      .sql`select requested_by from probe_runs where probe_id = ${started.body.probeId}`;
    expect(rows).toEqual([{ requested_by: 'test' }]);
  });

  it('answers 404 as problem+json for an unknown probe', async () => {
    const response = await stack.request('GET', '/v1/probes/prb_00000000000000000000');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:ims:problem:not_found', status: 404 });
  });

  it('names the field when the id or the body is malformed', async () => {
    const badId = await stack.request('GET', '/v1/probes/not-a-probe');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'params.probeId' })]);

    const badBody = await stack.request('POST', '/v1/probes', { requestedBy: 42 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors).toEqual([expect.objectContaining({ field: 'body.requestedBy' })]);

    const unknownField = await stack.request('POST', '/v1/probes', {
      requestedBy: 'x',
      extra: true,
    });
    expect(unknownField.status).toBe(400);
  });

  it('records a probe once even when its activity runs twice', async () => {
    const { createProbeActivities } = await import('../../activities/probe');
    const activities = createProbeActivities({ db: stack.database.db });
    const first = await activities.recordProbe({
      probeId: 'prb_twice00000000000000',
      requestedBy: 'a',
    });
    const second = await activities.recordProbe({
      probeId: 'prb_twice00000000000000',
      requestedBy: 'a',
    });
    expect(second).toEqual(first);
    const rows = await stack.database
      .sql`select count(*)::int as n from probe_runs where probe_id = 'prb_twice00000000000000'`;
    expect(rows[0]?.n).toBe(1);
  });
});
