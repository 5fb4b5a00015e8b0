// Two councils in one database and one Temporal namespace, with the same fund codes and the same
// references: each sees only its own rows, through the API and through raw SQL as the role the
// API and worker use. Council "northshire" is made here as onboarding will make it.
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client';
import { insertApiKey } from '../../db/identity';
import { runSeedsOnce } from '../../db/seed';
import { providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { demoCouncil } from '../../domain/demoCouncil';
import { demoSeeds } from '../../db/seeds';
import { councilOfWorkflowId, councilWorkflowId } from '../../domain/council';
import { councilPermissions, type Permission } from '../../domain/permissions';
import { probeWorkflowId } from '../../workflows/probe';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
const other = 'northshire';
let otherAuth: Record<string, string>;
let providerAuth: Record<string, string>;

/** The owner's connection bound to a council: what it inserts is that council's. */
function ownerFor(councilId: string) {
  return connectDatabase(stack.databaseUrl, { poolMax: 1, councilId });
}

/** A raw connection as the application role, bound to a council as the API's pools are. */
function appRoleFor(councilId?: string) {
  return postgres(stack.appDatabaseUrl, {
    max: 1,
    onnotice: () => {},
    ...(councilId === undefined ? {} : { connection: { 'ims.council_id': councilId } }),
  });
}

/** An API key of some council, made as the owner (as the council's administrator would). */
async function keyIn(councilId: string, granted: readonly Permission[]) {
  const owner = ownerFor(councilId);
  try {
    const { key } = await insertApiKey(
      owner.db,
      { principal: `${councilId}-key`, description: 'test', permissions: [...granted], fundGroups: null },
      'system:test',
    );
    return { Authorization: `Bearer ${key}` };
  } finally {
    await owner.close();
  }
}

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
  it('each have the demo funds, under the same codes', async () => {
    const rows = await stack.database.sql<{ council_id: string }[]>`
      select council_id from funds where code = 'CTAX' order by council_id`;
    expect(rows.map((row) => row.council_id)).toEqual(['default', other]);
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
    expect([201, 202]).toContain(created.status);
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
