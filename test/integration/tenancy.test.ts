// Two councils in one database and one Temporal namespace, with the same fund codes and the same
// references: each sees only its own rows, through the API and through raw SQL as the role the
// API and worker use. Council "northshire" is made here as onboarding will make it.
import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { councilOfWorkflowId, councilWorkflowId, providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { demoCouncil } from '../../domain/demoCouncil';
import { generateCollectionFile } from '../../domain/imports';
import { councilPermissions, type Permission, permissions } from '../../domain/permissions';
import { councilScheduleIds } from '../../platform/schedules';
import { probeWorkflowId } from '../../workflows/probe';
import { keyInCouncil } from '../harness/councils';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
const other = 'northshire';
let otherAuth: Record<string, string>;
let providerAuth: Record<string, string>;

/** A raw connection as the application role, bound to a council as the API's pools are. */
function appRoleFor(councilId?: string) {
  return postgres(stack.appDatabaseUrl, {
    max: 1,
    onnotice: () => {},
    ...(councilId === undefined ? {} : { connection: { 'ims.council_id': councilId } }),
  });
}

const keyIn = (councilId: string, granted: readonly Permission[]) =>
  keyInCouncil(stack, councilId, granted);

beforeAll(async () => {
  // The default council gets the demo configuration as `npm start` gives it.
  await runSeedsOnce(stack.database.sql, demoSeeds);
  providerAuth = await keyIn(providerCouncilId, ['provider']);
  const onboarded = await stack.request(
    'POST',
    '/v1/provider/councils',
    demoCouncilBundle({ id: other, name: 'Northshire Council' }, demoCouncil),
    providerAuth,
  );
  expect(onboarded.status, onboarded.text).toBe(201);
  expect(onboarded.body.schedules).toEqual(councilScheduleIds(other));
  for (const id of councilScheduleIds(other)) {
    const schedule = await stack.temporal.schedule.getHandle(id).describe();
    expect(schedule.action.type === 'startWorkflow' && schedule.action.workflowId).toMatch(
      new RegExp(`^${other}/`),
    );
  }
  otherAuth = await keyIn(other, councilPermissions);
});

describe('workflow ids', () => {
  it('carry the council, and the default council keeps the ids it had before tenancy', () => {
    expect(councilWorkflowId('default', 'pay_1')).toBe('pay_1');
    expect(councilWorkflowId(other, 'pay_1')).toBe('northshire/pay_1');
    expect(councilOfWorkflowId('northshire/pay_1')).toBe(other);
    expect(councilOfWorkflowId('pay_1')).toBe('default');
    expect(() => councilWorkflowId('Not A Council', 'x')).toThrow(/council id/);
  });
});

describe('two councils with the same configuration', () => {
  it('each have the demo funds, under the same codes, and the same ledger accounts', async () => {
    const rows = await stack.database.sql<{ council_id: string }[]>`
      select council_id from funds where code = 'CTAX' order by council_id`;
    expect(rows.map((row) => row.council_id)).toEqual(['default', other]);
    const accounts = (councilId: string) => stack.database.sql<{ code: string; kind: string }[]>`
      select code, kind from ledger_accounts where council_id = ${councilId} order by code`;
    expect(await accounts(other)).toEqual(await accounts('default'));
  });

  it('see only their own configuration through the API', async () => {
    const mine = await stack.request('GET', '/v1/funds');
    const theirs = await stack.request('GET', '/v1/funds', undefined, otherAuth);
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((f: { code: string }) => f.code).sort()).toEqual(
      mine.body.items.map((f: { code: string }) => f.code).sort(),
    );
    // An office only the default council has is invisible to the other.
    await stack.database.sql`insert into offices (code, name) values ('QQ', 'Only the default')`;
    expect((await stack.request('GET', '/v1/offices/QQ')).status).toBe(200);
    expect((await stack.request('GET', '/v1/offices/QQ', undefined, otherAuth)).status).toBe(404);
  });

  it("answer 404 for the other council's payments, and list none of them", async () => {
    const created = await stack.request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1_000 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    });
    // No PSP in this file: the payment is kept and named in the 503.
    expect(created.status).toBe(503);
    const paymentId: string = created.body.paymentId;
    const mine = await stack.request('GET', `/v1/payments/${paymentId}`);
    expect(mine.status).toBe(200);
    const theirs = await stack.request('GET', `/v1/payments/${paymentId}`, undefined, otherAuth);
    expect(theirs.status).toBe(404);
    const listed = await stack.request('GET', '/v1/payments', undefined, otherAuth);
    expect(listed.status).toBe(200);
    expect(listed.body.payments.map((p: { paymentId: string }) => p.paymentId)).not.toContain(
      paymentId,
    );
  });

  it("run workflows named for their council, whose activities write the council's rows", async () => {
    const started = await stack.request('POST', '/v1/probes', { requestedBy: 'north' }, otherAuth);
    expect(started.status).toBe(202);
    const probeId: string = started.body.probeId;
    const handle = stack.temporal.workflow.getHandle(probeWorkflowId(other, probeId));
    expect(handle.workflowId).toBe(`${other}/${probeId}`);
    await handle.result();
    const [row] = await stack.database.sql<{ council_id: string }[]>`
      select council_id from probe_runs where probe_id = ${probeId}`;
    expect(row?.council_id).toBe(other);
    const mine = await stack.request('GET', `/v1/probes/${probeId}`);
    expect(mine.status).toBe(404);

    // Every payload of its history is stamped (and authenticated) as the council's, and the
    // codec endpoint decrypts them for that council's operators only.
    const { history } = await stack.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: stack.info.namespace,
      execution: { workflowId: handle.workflowId },
    });
    const stamped = payloadsIn(history);
    expect(stamped.length).toBeGreaterThan(0);
    expect(new Set(stamped.map((p) => text(p.metadata?.['ims-council'])))).toEqual(
      new Set([other]),
    );
    const body = JSON.stringify({ payloads: stamped.slice(0, 1).map(toCodecJson) });
    const decode = (auth: Record<string, string>) =>
      fetch(`${stack.baseUrl}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body,
      });
    expect((await decode(otherAuth)).status).toBe(200);
    expect((await decode(await stack.authHeaders())).status).toBe(403);
  });
});

type RawPayload = { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null };

function payloadsIn(value: unknown, found: RawPayload[] = []): RawPayload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as RawPayload;
  if (candidate.metadata?.['ims-council'] !== undefined) found.push(candidate);
  else for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const base64 = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? []).toString('base64');

function toCodecJson(payload: RawPayload) {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, base64(value)]),
    ),
    data: base64(payload.data),
  };
}

describe('row-level security for the application role', () => {
  it('covers every table: each carries council_id, has RLS on and the isolation policy', async () => {
    const tables = await stack.database.sql<
      { name: string; rls: boolean; policy: boolean; council: boolean }[]
    >`
      select c.relname::text as name, c.relrowsecurity as rls,
             exists (select 1 from pg_policy p where p.polrelid = c.oid
                      and p.polname = 'council_isolation') as policy,
             exists (select 1 from information_schema.columns col
                      where col.table_schema = 'public' and col.table_name = c.relname
                        and col.column_name in ('council_id', 'id')) as council
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'`;
    expect(tables.length).toBeGreaterThan(30);
    expect(tables.filter((t) => !t.rls || !t.policy || !t.council).map((t) => t.name)).toEqual([]);
    const withoutCouncil = await stack.database.sql<{ name: string }[]>`
      select t.table_name::text as name from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE' and t.table_name <> 'councils'
         and not exists (select 1 from information_schema.columns c
                          where c.table_schema = 'public' and c.table_name = t.table_name
                            and c.column_name = 'council_id')`;
    expect(withoutCouncil.map((t) => t.name)).toEqual([]);
  });

  it("cannot read, change or add the other council's rows, and sees nothing without a council", async () => {
    const asOther = appRoleFor(other);
    const unscoped = appRoleFor();
    try {
      const [defaultPayment] = await stack.database.sql<{ id: string }[]>`
        select id from payments where council_id = 'default' limit 1`;
      expect(defaultPayment).toBeDefined();
      const id = String(defaultPayment?.id);
      expect(await asOther`select id from payments where id = ${id}`).toHaveLength(0);
      const updated = await asOther`update payments set description = 'taken' where id = ${id}`;
      expect(updated.count).toBe(0);
      const deleted = await asOther`delete from payment_events where payment_id = ${id}`;
      expect(deleted.count).toBe(0);
      await expect(
        asOther`insert into offices (council_id, code, name) values ('default', 'ZZ', 'Sneaky')`,
      ).rejects.toThrow(/row-level security/);
      // Its own rows it can write: the council comes from the connection, not the statement.
      await asOther`insert into offices (code, name) values ('ZZ', 'Northshire office')`;
      const [office] = await stack.database.sql<{ council_id: string }[]>`
        select council_id from offices where code = 'ZZ'`;
      expect(office?.council_id).toBe(other);

      expect(await unscoped`select code from funds`).toHaveLength(0);
      await expect(
        unscoped`insert into offices (code, name) values ('YY', 'Nobody')`,
      ).rejects.toThrow(/row-level security/);
      // Only its own council row is visible, and councils cannot be made by the application.
      expect((await asOther`select id from councils`).map((r) => r.id)).toEqual([other]);
      await expect(
        asOther`insert into councils (id, name) values ('rogue', 'Rogue')`,
      ).rejects.toThrow(/permission denied/);
    } finally {
      await asOther.end();
      await unscoped.end();
    }
  });

  it('is the only role the API and worker accept: they refuse to start as the owner', async () => {
    const { assertBoundByRowSecurity } = await import('../../db/appRole');
    await expect(assertBoundByRowSecurity(stack.database.sql)).rejects.toThrow(
      /row-level security/,
    );
    await expect(assertBoundByRowSecurity(stack.councils.sql)).resolves.toBeUndefined();
  });
});

describe('onboarding', () => {
  it('refuses a bundle whole, naming each problem, and writes nothing', async () => {
    const bundle = demoCouncilBundle({ id: 'westmoor', name: 'Westmoor' }, demoCouncil);
    const broken = {
      ...bundle,
      funds: bundle.funds.map((fund, index) => (index === 0 ? { ...fund, vatCode: 'NOPE' } : fund)),
      fundGroups: [{ code: 'G1', name: 'Group', fundCodes: ['NOSUCH'] }],
    };
    const refused = await stack.request('POST', '/v1/provider/councils', broken, providerAuth);
    expect(refused.status).toBe(400);
    const fields = refused.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toContain('body.funds[0].vatCode');
    expect(fields).toContain('body.fundGroups[0].fundCodes[0]');
    const rows = await stack.database.sql`select 1 from councils where id = 'westmoor'`;
    expect(rows).toHaveLength(0);
    const again = await stack.request('POST', '/v1/provider/councils', bundle, providerAuth);
    expect(again.status).toBe(201);
    const twice = await stack.request('POST', '/v1/provider/councils', bundle, providerAuth);
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].field).toBe('body.council.id');
  });

  it("is the provider's alone: a council's key holding every permission is refused", async () => {
    const bundle = demoCouncilBundle({ id: 'eastvale', name: 'Eastvale' }, demoCouncil);
    const everything = await stack.keyFor('everything', [...permissions]);
    const refused = await stack.request('POST', '/v1/provider/councils', bundle, everything);
    expect(refused.status).toBe(403);
    // The provider sees councils and their queues, and none of their data.
    const listed = await stack.request('GET', '/v1/provider/councils', undefined, providerAuth);
    expect(listed.body.councils.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['default', other, 'provider']),
    );
    expect((await stack.request('GET', '/v1/payments', undefined, providerAuth)).status).toBe(403);
    const queues = await stack.request('GET', '/v1/provider/workflows', undefined, providerAuth);
    expect(queues.status).toBe(200);
    expect(JSON.stringify(queues.body)).not.toMatch(/Council tax|123456780/);
  });
});

describe('per-council limits', () => {
  it('hold one council to its own request and import ceilings, and not the others', async () => {
    const bundle = demoCouncilBundle(
      { id: 'smallton', name: 'Smallton', requestsPerMinuteMax: 5, importBytesMax: 100 },
      demoCouncil,
    );
    expect(
      (await stack.request('POST', '/v1/provider/councils', bundle, providerAuth)).status,
    ).toBe(201);
    const small = await keyIn('smallton', councilPermissions);
    const form = new FormData();
    form.append('profileId', 'post-office');
    form.append('file', new Blob(['x'.repeat(200)]), 'collection.txt');
    const tooBig = await fetch(`${stack.baseUrl}/v1/imports`, {
      method: 'POST',
      headers: small,
      body: form,
    });
    expect(tooBig.status).toBe(413);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await stack.request('GET', '/v1/funds', undefined, small)).status);
    expect(statuses).toContain(429);
    expect((await stack.request('GET', '/v1/funds')).status).toBe(200);
    expect((await stack.request('GET', '/v1/funds', undefined, otherAuth)).status).toBe(200);
  });
});

describe('both councils working at once', () => {
  async function importFor(auth: Record<string, string>, content: string) {
    const form = new FormData();
    form.append('profileId', 'post-office');
    form.append('file', new Blob([content]), 'po-20261121.txt');
    const response = await fetch(`${stack.baseUrl}/v1/imports`, {
      method: 'POST',
      body: form,
      headers: auth,
    });
    expect(response.status).toBe(202);
    const { importId } = (await response.json()) as { importId: string };
    for (let tries = 0; tries < 600; tries++) {
      const { body } = await stack.request('GET', `/v1/imports/${importId}`, undefined, auth);
      if (body.state === 'completed') return body;
      if (body.state === 'failed' || body.state === 'refused')
        throw new Error(JSON.stringify(body));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${importId} did not complete`);
  }

  it('import the same file into both ledgers at once, and close the same day in each', async () => {
    const content = [
      ...generateCollectionFile({
        rows: 500,
        unidentifiableRatio: 0.02,
        seed: 42,
        transactionDate: '2026-11-21',
      }),
    ].join('');
    const [mine, theirs] = await Promise.all([
      importFor(await stack.authHeaders(), content),
      importFor(otherAuth, content),
    ]);
    // The same bytes are a duplicate only within one council.
    expect(mine.totalPence).toBe(theirs.totalPence);
    expect(mine.importId).not.toBe(theirs.importId);
    const balances = async (councilId: string) =>
      stack.database.sql<{ account_code: string; net: number }[]>`
        select account_code, sum(debit_pence - credit_pence)::bigint as net from postings
         where council_id = ${councilId} and journal_id in (
           select id from journals where council_id = ${councilId} and source_id = ${councilId === other ? theirs.importId : mine.importId})
         group by account_code order by account_code`;
    expect(await balances(other)).toEqual(await balances('default'));
    const day = '2026-01-20';
    const [closedMine, closedTheirs] = await Promise.all([
      stack.request('POST', '/v1/close-of-day', { date: day }),
      stack.request('POST', '/v1/close-of-day', { date: day }, otherAuth),
    ]);
    expect([closedMine.status, closedTheirs.status]).toEqual([201, 201]);
    const [trialMine, trialTheirs] = await Promise.all([
      stack.request('GET', '/v1/ledger/trial-balance'),
      stack.request('GET', '/v1/ledger/trial-balance', undefined, otherAuth),
    ]);
    expect(trialMine.status).toBe(200);
    expect(trialTheirs.status).toBe(200);
  }, 120_000);
});

describe('offboarding', () => {
  it("exports everything with a checksum, then deletes the council, its workflows and keys, leaving the other's ledger and GL export byte-identical", async () => {
    const day = '2026-01-14';
    expect((await stack.request('POST', '/v1/close-of-day', { date: day })).status).toBe(201);
    const glBefore = (await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`)).text;
    const balanceBefore = (await stack.request('GET', '/v1/ledger/trial-balance')).text;

    const exported = await fetch(`${stack.baseUrl}/v1/council/export`, { headers: otherAuth });
    expect(exported.status).toBe(200);
    const body = await exported.text();
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(exported.headers.get('x-export-sha256')).toBe(sha256);
    const document = JSON.parse(body);
    expect(document).toMatchObject({ format: 'ims-council-export/1', councilId: other });
    expect(document.tables.funds.map((f: { code: string }) => f.code)).toContain('CTAX');
    expect(body).not.toMatch(/password_hash|secret_hash|wrapped_key/);

    // Visibility is eventually consistent: on a loaded machine the list can lag the starts.
    const listed = async () =>
      stack.temporal.workflowService.listWorkflowExecutions({
        namespace: stack.info.namespace,
        query: `ImsCouncil = '${other}'`,
      });
    let { executions } = await listed();
    for (let tries = 0; (executions ?? []).length === 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ({ executions } = await listed());
    }
    const northshireWorkflowIds = (executions ?? []).map((e) => String(e.execution?.workflowId));
    expect(northshireWorkflowIds.length).toBeGreaterThan(0);
    const [anyPayload] = payloadsIn(executions);
    const wrong = await stack.request(
      'DELETE',
      `/v1/provider/councils/${other}`,
      { exportSha256: '0'.repeat(64), reason: 'leaving' },
      providerAuth,
    );
    expect(wrong.status).toBe(409);
    const gone = await stack.request(
      'DELETE',
      `/v1/provider/councils/${other}`,
      { exportSha256: sha256, reason: 'contract ended' },
      providerAuth,
    );
    expect(gone.status, gone.text).toBe(200);
    expect(gone.body.workflowsDeleted).toBeGreaterThan(0);
    for (const id of councilScheduleIds(other)) {
      await expect(stack.temporal.schedule.getHandle(id).describe()).rejects.toThrow();
    }

    for (const { name } of await stack.database.sql<{ name: string }[]>`
        select table_name::text as name from information_schema.columns
         where table_schema = 'public' and column_name = 'council_id'`) {
      const rows = await stack.database.sql.unsafe(
        `select count(*)::int as n from "${name}" where council_id = $1`,
        [other],
      );
      expect(rows[0]?.n, name).toBe(0);
    }
    expect((await stack.request('GET', '/v1/funds', undefined, otherAuth)).status).toBe(401);
    // Each of its workflows is gone from Temporal (visibility may list it a while longer).
    // Temporal deletes asynchronously: wait (bounded) for each to be gone.
    for (const workflowId of northshireWorkflowIds) {
      let found = true;
      for (let tries = 0; tries < 240 && found; tries++) {
        found = await stack.temporal.workflow
          .getHandle(workflowId)
          .describe()
          .then(() => true)
          .catch(() => false);
        if (found) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(found, workflowId).toBe(false);
    }
    if (anyPayload !== undefined) {
      const [codec] = stack.temporal.options.loadedDataConverter.payloadCodecs;
      await expect(codec?.decode([anyPayload as never])).rejects.toThrow(/no payload keys/);
    }

    expect((await stack.request('GET', `/v1/close-of-day/${day}/gl-export.csv`)).text).toBe(
      glBefore,
    );
    expect((await stack.request('GET', '/v1/ledger/trial-balance')).text).toBe(balanceBefore);
  }, 180_000);
});
