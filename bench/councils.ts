/**
 * Many councils on one deployment: onboarding cost, and what a payment costs when 50 councils
 * take payments at once against a single-council install, in the same run.
 *
 * `npx tsx bench/councils.ts [councils] [payments] [concurrency]`:
 * 1. N card payments in the default council alone (the single-council install);
 * 2. onboards `councils` councils through the API (POST /v1/provider/councils), each from the
 *    demo bundle, and times each;
 * 3. N card payments spread round-robin over those councils, each with its own API key,
 *    workflows and payload key.
 * Each payment is a full lifecycle: POST, paid on the sandbox PSP's page, webhook, ledger posted.
 * Prints JSON.
 */

import { connectDatabase } from '../db/client';
import { insertApiKey } from '../db/identity';
import { providerCouncilId } from '../domain/council';
import { demoCouncilBundle } from '../domain/councilBundle';
import { demoCouncil } from '../domain/demoCouncil';
import { councilPermissions, type Permission } from '../domain/permissions';
import { createSandboxPsp } from '../psp/sandbox/sandboxPsp';
import { paymentWorkflowId } from '../workflows/payment';
import { inParallel, machine, percentile, startBenchStack } from './stack';

const councilCount = Number(process.argv[2] ?? 50);
const payments = Number(process.argv[3] ?? 500);
const concurrency = Number(process.argv[4] ?? 50);

const stack = await startBenchStack();
const sandboxPsp = createSandboxPsp({
  apiKeys: ['bench-key'],
  webhookUrl: `${stack.apiUrl}/v1/webhooks/govuk-pay`,
  webhookSecret: 'bench-secret',
});
const sandbox = await sandboxPsp.start(0, '127.0.0.1');
await stack.startWorker(sandbox.url);

/** An API key in a council, made as its administrator would (as the owner, bound to it). */
async function keyIn(councilId: string, granted: readonly Permission[]) {
  const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId });
  try {
    const { key } = await insertApiKey(
      owner.db,
      {
        principal: `${councilId}-bench`,
        description: 'benchmark',
        permissions: [...granted],
        fundGroups: null,
      },
      'system:bench',
    );
    return { Authorization: `Bearer ${key}` };
  } finally {
    await owner.close();
  }
}

type Council = { id: string; auth: Record<string, string> };

function payer(latencies: number[], councilOf: (index: number) => Council) {
  return async (index: number) => {
    const council = councilOf(index);
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...council.auth },
      body: JSON.stringify({
        lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1000 + index }],
        description: 'Bench',
        returnUrl: 'https://council.example/done',
      }),
    });
    if (response.status !== 201 && response.status !== 202)
      throw new Error(`payment refused: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { paymentId: string; nextUrl: string };
    await fetch(`${created.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const result = await stack.client.workflow
      .getHandle(paymentWorkflowId(council.id, created.paymentId))
      .result();
    if (result.state !== 'allocated')
      throw new Error(`payment ${created.paymentId} of ${council.id} ended ${result.state}`);
    latencies.push(performance.now() - started);
  };
}

function summary(count: number, ms: number, latencies: number[]) {
  latencies.sort((a, b) => a - b);
  return {
    payments: count,
    perSecond: Math.round((count / ms) * 1000 * 10) / 10,
    msPerPayment: Math.round((ms / count) * 100) / 100,
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
  };
}

const single: Council = { id: 'default', auth: stack.auth };
await inParallel(
  20,
  20,
  payer([], () => single),
); // warm-up: JIT, pools, workflow cache
const singleLatencies: number[] = [];
const singleMs = await inParallel(
  payments,
  concurrency,
  payer(singleLatencies, () => single),
);

const provider = await keyIn(providerCouncilId, ['provider']);
const councils: Council[] = [];
const onboardingMs: number[] = [];
for (let i = 0; i < councilCount; i++) {
  const id = `council-${String(i).padStart(3, '0')}`;
  const started = performance.now();
  const response = await fetch(`${stack.apiUrl}/v1/provider/councils`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...provider },
    body: JSON.stringify(demoCouncilBundle({ id, name: `Council ${i}` }, demoCouncil)),
  });
  if (response.status !== 201) throw new Error(`onboarding ${id}: ${await response.text()}`);
  onboardingMs.push(performance.now() - started);
  councils.push({ id, auth: await keyIn(id, councilPermissions) });
}
onboardingMs.sort((a, b) => a - b);

await inParallel(
  councils.length,
  20,
  payer([], (index) => councils[index % councils.length]!),
);
const manyLatencies: number[] = [];
const manyMs = await inParallel(
  payments,
  concurrency,
  payer(manyLatencies, (index) => councils[index % councils.length]!),
);

const singleResult = summary(payments, singleMs, singleLatencies);
const manyResult = summary(payments, manyMs, manyLatencies);
const [connections] = await stack.database
  .sql`select count(*)::int as n from pg_stat_activity where usename = 'ims_app'`;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'councils',
      date: new Date().toISOString(),
      machine: machine(),
      councils: councilCount,
      concurrency,
      onboarding: {
        p50Ms: Math.round(percentile(onboardingMs, 50)),
        p99Ms: Math.round(percentile(onboardingMs, 99)),
      },
      singleCouncil: singleResult,
      manyCouncils: manyResult,
      costRatio: Math.round((manyResult.msPerPayment / singleResult.msPerPayment) * 100) / 100,
      appRoleConnectionsAtEnd: connections?.n,
    },
    null,
    2,
  )}\n`,
);
await sandbox.close();
await stack.stop();
