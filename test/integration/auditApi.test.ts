// Proves the audit log search: filters by entity and time, pages newest first without skipping
// or repeating a row, and refuses a malformed query naming the parameter.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

let startedAt = '';

beforeAll(async () => {
  startedAt = new Date(Date.now() - 1000).toISOString();
  for (const code of ['AA', 'AB', 'AC', 'AD', 'AE']) {
    await stack.request('POST', '/v1/offices', { code, name: `Office ${code}` });
  }
  for (const name of ['One', 'Two', 'Three']) {
    await stack.request('PATCH', '/v1/offices/AA', { name, reason: `rename to ${name}` });
  }
});

describe('audit.happy', () => {
  it('pages through every record newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query = cursor === '' ? '' : `&cursor=${cursor}`;
      const page = await stack.request('GET', `/v1/audit?entityType=office&limit=3${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    const all = await stack.database.sql<{ id: string }[]>`
      select id from audit_log where entity_type = 'office' order by occurred_at desc, id desc`;
    expect(seen).toEqual(all.map((row) => row.id));
  });

  it('filters by entity and by time', async () => {
    const renames = await stack.request('GET', '/v1/audit?entityType=office&entityId=AA');
    expect(renames.body.items.map((item: { reason: string | null }) => item.reason)).toEqual([
      'rename to Three',
      'rename to Two',
      'rename to One',
      null,
    ]);
    const inWindow = await stack.request('GET', `/v1/audit?from=${encodeURIComponent(startedAt)}`);
    expect(inWindow.body.items).toHaveLength(8);
    const beforeWindow = await stack.request(
      'GET',
      `/v1/audit?to=${encodeURIComponent(startedAt)}`,
    );
    expect(beforeWindow.body.items).toHaveLength(0);
  });
});

describe('audit.error', () => {
  it('names the malformed parameter', async () => {
    expectProblem(await stack.request('GET', '/v1/audit?cursor=not-a-cursor'), 400, [
      'query.cursor',
    ]);
    expectProblem(await stack.request('GET', '/v1/audit?from=yesterday'), 400, ['query.from']);
    expectProblem(await stack.request('GET', '/v1/audit?limit=0'), 400, ['query.limit']);
  });
});
