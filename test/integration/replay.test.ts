// Proves today's workflow code replays the recorded histories of the main flows (payments, an
// import, close of day, PSP settlement, bank matching, and the suspense and refund flows their
// own tests record) without a nondeterminism error, so a change to a running workflow cannot
// slip through unpatched. Set RECORD_HISTORIES=1 to re-record them (after an intended, patched
// change); recordings are decoded first (test/harness/histories.ts), because the stack
// encrypts payloads with keys no later run has.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { generateCollectionFile } from '../../domain/imports';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import { createSandboxPsp } from '../../psp/sandbox/sandboxPsp';
import { closeOfDayWorkflowId } from '../../workflows/closeOfDay';
import { settlementWorkflowId } from '../../workflows/settlement';
import {
  decodedHistoryJSON,
  historiesDir,
  recordHistory,
  recordingHistories as recording,
} from '../harness/histories';
import { useTestStack } from '../harness/stack';

let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider, webhookSecret: 'replay-secret' });

async function recordPayment(
  name: string,
  action: 'pay' | 'decline',
  lines: unknown[],
): Promise<void> {
  const created = await stack.request('POST', '/v1/payments', {
    lines,
    description: name,
    returnUrl: 'https://council.example/done',
  });
  if (created.status === 201)
    await fetch(`${created.body.nextUrl}/${action}`, { method: 'POST', redirect: 'manual' });
  const paymentId = created.body.paymentId ?? created.body.errors;
  const handle = stack.temporal.workflow.getHandle(String(paymentId));
  await handle.result();
  await recordHistory(stack, String(paymentId), name);
}

describe.runIf(recording)('recording histories', () => {
  beforeAll(async () => {
    await runSeedsOnce(stack.database.sql, demoSeeds);
    const sandbox = await createSandboxPsp({
      apiKeys: ['k'],
      webhookUrl: `${stack.baseUrl}/v1/webhooks/govuk-pay`,
      webhookSecret: 'replay-secret',
    }).start(0, '127.0.0.1');
    provider = createGovukPayProvider({ baseUrl: sandbox.url, keys: { default: 'k' } });
    await stack.startWorker();
  });

  it('records the main payment flows', async () => {
    await recordPayment('payment-allocated', 'pay', [
      { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345 },
      { fundCode: 'LIB', reference: 'LOAN-1', amountPence: 600 },
    ]);
    await recordPayment('payment-declined', 'decline', [
      { fundCode: 'PCN', reference: 'BJ12345673', amountPence: 7_000 },
    ]);
  });

  it('records an income file import', async () => {
    const content = [
      ...generateCollectionFile({ rows: 3_000, unidentifiableRatio: 0.02, seed: 11 }),
    ].join('');
    const form = new FormData();
    form.append('profileId', 'post-office');
    form.append('file', new Blob([content]), 'replay.txt');
    const uploaded = (await (
      await fetch(`${stack.baseUrl}/v1/imports`, {
        method: 'POST',
        body: form,
        headers: await stack.authHeaders(),
      })
    ).json()) as { importId: string };
    const handle = stack.temporal.workflow.getHandle(uploaded.importId);
    await handle.result();
    writeFileSync(
      join(historiesDir, 'import-completed.json'),
      await decodedHistoryJSON(stack, uploaded.importId),
    );
  });

  // Dates no other test file uses: workflow ids are per date in the run's one namespace.
  it('records close of day, PSP settlement and bank matching', async () => {
    const closed = await stack.request(
      'POST',
      '/v1/close-of-day',
      { date: '2020-02-03', reason: 'replay fixture' },
      { 'X-Actor': 'finance.lead' },
    );
    expect(closed.status).toBe(201);
    await recordHistory(
      stack,
      closeOfDayWorkflowId('default', '2020-02-03'),
      'close-of-day-closed',
    );
    const settled = await stack.request('POST', '/v1/reconciliation/settlements', {
      date: '2020-02-04',
    });
    expect(settled.status).toBe(200);
    await recordHistory(
      stack,
      settlementWorkflowId('default', '2020-02-04'),
      'settlement-reconciled',
    );
    await stack.database.sql`
      insert into psp_settlements (settled_date, payment_count, gross_pence, fee_pence, refund_pence,
                                   expected_payout_pence, differences)
      values ('2020-02-05', 1, 5075, 75, 0, 5000, '[]'::jsonb)`;
    const matched = await stack.request('POST', '/v1/reconciliation/bank/match', {
      asOf: '2020-02-06',
    });
    expect(matched.status).toBe(200);
    expect(matched.body.openExceptions).toBe(1);
    await recordHistory(stack, matched.body.workflowId, 'bank-matching-run');
  });
});

describe('replaying recorded histories', () => {
  const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: stack.info.workflowBundlePath } },
      history,
    );
  });
});
