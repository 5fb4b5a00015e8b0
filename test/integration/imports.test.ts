// Proves income files import on the real stack: every row of a collection file ends allocated
// or in suspense with one balanced posting, the same file twice is refused naming the first,
// a structurally broken file is refused whole with line numbers and nothing posted, and a
// worker crash or lost database connections mid-file resume without a duplicate posting.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { generateCollectionFile } from '../../domain/imports';
import { type TestResponse, useTestStack } from '../harness/stack';

const stack = useTestStack();

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

function collectionFile(rows: number, seed: number): string {
  return [
    ...generateCollectionFile({
      rows,
      unidentifiableRatio: 0.02,
      seed,
      transactionDate: '2026-11-21',
    }),
  ].join('');
}

async function upload(
  content: string,
  profileId = 'post-office',
  fileName = 'po-20261121.txt',
): Promise<TestResponse> {
  const form = new FormData();
  form.append('profileId', profileId);
  form.append('file', new Blob([content]), fileName);
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
    text,
  };
}

async function waitForImport(
  importId: string,
  states: string[],
  timeoutMs = 60_000,
  onPoll?: (body: TestResponse['body']) => Promise<void>,
): Promise<TestResponse['body']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`);
    if (states.includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`import ${importId} stuck in ${body.state}`);
    await onPoll?.(body);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function postedFor(importId: string) {
  const [journals] = await stack.database.sql`
    select count(*)::int as journals, coalesce(sum(total_pence), 0)::bigint as debited
      from journals where source_type = 'import' and source_id = ${importId}`;
  const [suspense] = await stack.database
    .sql`select count(*)::int as n, coalesce(sum(amount_pence), 0)::bigint as pence from suspense_items where source_id = ${importId}`;
  const credited = await stack.database.sql`
    select count(*)::int as lines from postings p join journals j on j.id = p.journal_id
     where j.source_id = ${importId} and p.account_code like 'FUND:%'`;
  return {
    journals: journals?.journals,
    debitedPence: journals?.debited,
    suspenseItems: suspense?.n,
    suspendedPence: suspense?.pence,
    fundLines: credited[0]?.lines,
  };
}

describe('a collection file', () => {
  it('posts every row once: allocated or in suspense, balanced, with progress', async () => {
    const content = collectionFile(5_000, 1);
    const uploaded = await upload(content);
    expect(uploaded.status).toBe(202);
    expect(uploaded.headers.get('location')).toBe(`/v1/imports/${uploaded.body.importId}`);
    const done = await waitForImport(uploaded.body.importId, ['completed', 'refused']);
    expect(done.state).toBe('completed');
    expect(done.rowsRead).toBe(5_000);
    expect(done.rowsAllocated + done.rowsSuspended).toBe(5_000);
    expect(done.rowsSuspended).toBeGreaterThan(50);
    expect(done.rowsSuspended).toBeLessThan(200);
    expect(done.allocatedPence + done.suspendedPence).toBe(done.totalPence);

    const posted = await postedFor(uploaded.body.importId);
    expect(posted.debitedPence).toBe(done.totalPence); // the clearing account took the file total
    expect(posted.suspenseItems).toBe(done.rowsSuspended);
    expect(posted.suspendedPence).toBe(done.suspendedPence);
    expect(posted.fundLines).toBe(5_000); // one fund credit per row (no VAT on these funds)
    const trial = await stack.request('GET', '/v1/ledger/trial-balance');
    expect(trial.body.balanced).toBe(true);
    const final = await stack.temporal.workflow.getHandle(uploaded.body.importId).result();
    expect(final.suspenseWorkflowsStarted).toBe(done.rowsSuspended);
    const [anItem] = await stack.database
      .sql`select id from suspense_items where source_id = ${uploaded.body.importId} limit 1`;
    const described = await stack.temporal.workflow.getHandle(String(anItem?.id)).describe();
    expect(described.status.name).toBe('RUNNING');
    const staged = await stack.database
      .sql`select count(*)::int as n from import_staged_rows where import_id = ${uploaded.body.importId}`;
    expect(staged[0]?.n).toBe(0);
  });

  it('is refused the second time, naming the first import', async () => {
    const content = collectionFile(50, 2);
    const first = await upload(content);
    await waitForImport(first.body.importId, ['completed']);
    const second = await upload(content, 'post-office', 'renamed.txt');
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(first.body.importId);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
  });

  it('is refused whole, with line numbers, when its trailer disagrees', async () => {
    const lines = collectionFile(200, 3).split('\n');
    const trailerIndex = lines.findIndex((line) => line.startsWith('T'));
    lines[trailerIndex] = `T${'000000199'}${lines[trailerIndex]!.slice(10)}`; // claims 199 rows
    const uploaded = await upload(lines.join('\n'));
    const done = await waitForImport(uploaded.body.importId, ['completed', 'refused']);
    expect(done.state).toBe('refused');
    const errors = await stack.request('GET', `/v1/imports/${uploaded.body.importId}/errors`);
    expect(errors.body.errors[0]).toMatchObject({ lineNo: trailerIndex + 1 });
    expect(await postedFor(uploaded.body.importId)).toMatchObject({
      journals: 0,
      suspenseItems: 0,
    });
  });

  it('finishes with a NUL byte in a reference: the row goes to suspense, nothing hangs', async () => {
    const lines = collectionFile(20, 4).split('\n');
    // PostgreSQL text cannot hold NUL; a COPY row refused mid-stream once hung the import.
    lines[1] = `${lines[1]!.slice(0, 12)}\u0000${lines[1]!.slice(13)}`;
    const uploaded = await upload(lines.join('\n'), 'post-office', 'po-nul.txt');
    expect(uploaded.status).toBe(202);
    const done = await waitForImport(uploaded.body.importId, ['completed', 'refused']);
    expect(done.state).toBe('completed');
    expect(done.rowsAllocated + done.rowsSuspended).toBe(20);
    expect(done.allocatedPence + done.suspendedPence).toBe(done.totalPence);
    const [item] = await stack.database.sql`
      select received_reference from suspense_items
       where source_id = ${uploaded.body.importId} and received_reference like ${'%\uFFFD%'}`;
    expect(item).toBeDefined();
  });

  it('refuses uploads without a profile or a file, naming the field', async () => {
    const noProfile = await upload('x', 'no-such-profile');
    expect(noProfile.status).toBe(400);
    expect(noProfile.body.errors).toEqual([expect.objectContaining({ field: 'profileId' })]);
    const notMultipart = await stack.request('POST', '/v1/imports', { file: 'x' });
    expect(notMultipart.status).toBe(415);
  });
});

describe('reversal', () => {
  it('reverses every posting once, audited, and refuses a second time', async () => {
    const uploaded = await upload(collectionFile(1_500, 6));
    const done = await waitForImport(uploaded.body.importId, ['completed']);
    const before = await stack.request('GET', '/v1/ledger/accounts');
    const reversed = await stack.request(
      'POST',
      `/v1/imports/${uploaded.body.importId}/reverse`,
      { reason: 'Agent sent the wrong day' },
      { 'X-Actor': 'finance.lead' },
    );
    expect(reversed.status).toBe(200);
    expect(reversed.body.suspenseItemsWithdrawn).toBe(done.rowsSuspended);
    const after = await stack.request('GET', '/v1/ledger/accounts');
    const clearing = (body: TestResponse['body']) =>
      body.accounts.find(
        (a: { accountCode: string }) => a.accountCode === 'CTRL:COLLECTION_CLEARING',
      ).balancePence;
    expect(clearing(before.body) - clearing(after.body)).toBe(done.totalPence);
    const audit = await stack.database
      .sql`select actor, reason from audit_log where entity_id = ${uploaded.body.importId}`;
    expect(audit).toEqual([{ actor: 'finance.lead', reason: 'Agent sent the wrong day' }]);

    const again = await stack.request('POST', `/v1/imports/${uploaded.body.importId}/reverse`, {
      reason: 'again',
    });
    expect(again.status).toBe(409);
    const noReason = await stack.request(
      'POST',
      `/v1/imports/${uploaded.body.importId}/reverse`,
      {},
    );
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
  });

  it('is refused when a suspense item from the import has been worked', async () => {
    const uploaded = await upload(collectionFile(1_000, 7));
    await waitForImport(uploaded.body.importId, ['completed']);
    await stack.database.sql`update suspense_items set state = 'allocated', remaining_pence = 0
                             where id = (select id from suspense_items where source_id = ${uploaded.body.importId} limit 1)`;
    const refused = await stack.request('POST', `/v1/imports/${uploaded.body.importId}/reverse`, {
      reason: 'oops',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].field).toBe('suspenseItems');
    const journals = await stack.database
      .sql`select count(*)::int as n from journals where source_id = ${uploaded.body.importId} and kind = 'reversal'`;
    expect(journals[0]?.n).toBe(0);
  });
});

describe('resuming', () => {
  it('finishes once when the worker dies mid-file', async () => {
    const content = collectionFile(20_000, 4);
    const uploaded = await upload(content);
    let restarted = false;
    await waitForImport(uploaded.body.importId, ['posting'], 60_000);
    const done = await waitForImport(
      uploaded.body.importId,
      ['completed'],
      120_000,
      async (body) => {
        if (!restarted && body.chunksPosted >= 2) {
          restarted = true;
          await stack.stopWorker();
          await stack.startWorker();
        }
      },
    );
    expect(restarted).toBe(true);
    const posted = await postedFor(uploaded.body.importId);
    expect(posted.fundLines).toBe(20_000);
    expect(posted.debitedPence).toBe(done.totalPence);
    expect(posted.suspenseItems).toBe(done.rowsSuspended);
  });

  it('finishes once when PostgreSQL drops every connection mid-file', async () => {
    const content = collectionFile(20_000, 5);
    const uploaded = await upload(content);
    let dropped = false;
    const done = await waitForImport(
      uploaded.body.importId,
      ['completed'],
      120_000,
      async (body) => {
        if (!dropped && body.state === 'posting' && body.chunksPosted >= 1) {
          dropped = true;
          await stack.database
            .sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        }
      },
    );
    expect(dropped).toBe(true);
    const posted = await postedFor(uploaded.body.importId);
    expect(posted.fundLines).toBe(20_000);
    expect(posted.debitedPence).toBe(done.totalPence);
  });
});
