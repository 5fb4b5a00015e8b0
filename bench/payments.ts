/**
 * Card payment lifecycles per second on the real stack, against the Temporal floor.
 *
 * `npx tsx bench/payments.ts [payments] [concurrency]` runs N payments (POST, immediate success
 * on the sandbox PSP's page, webhook, ledger posted) and then, on the same Temporal server, N
 * empty workflows that run as many no-op activities as a payment runs. Prints JSON.
 */

import { loadavg } from 'node:os';
import { createSandboxPsp } from '../psp/sandbox/sandboxPsp';
import { benchWorkerCount } from './benchTemporal';
import { floorWorkflow } from './floorWorkflows';
import { type HistoryCounts, historyCounts } from './historyCounts';
import { inParallel, machine, percentile, startBenchStack } from './stack';

const payments = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 100);

const stack = await startBenchStack();
const sandboxPsp = createSandboxPsp({
  apiKeys: ['bench-key'],
  webhookUrl: `${stack.apiUrl}/v1/webhooks/govuk-pay`,
  webhookSecret: 'bench-secret',
});
const sandbox = await sandboxPsp.start(0, '127.0.0.1');
let paymentCounts: HistoryCounts | undefined;
let slowNextUrls = 0;
await stack.startWorker(sandbox.url);
// Count the activities a payment runs from the workflow histories' activity events instead of
// wrapping activities: the floor must run exactly as many.
const latencies: number[] = [];
const pay = async (index: number) => {
  const started = performance.now();
  const response = await fetch(`${stack.apiUrl}/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...stack.auth },
    body: JSON.stringify({
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1000 + index }],
      description: 'Bench',
      returnUrl: 'https://council.example/done',
    }),
  });
  const created = (await response.json()) as { paymentId: string; nextUrl: string | null };
  // 202: next_url did not come within the POST's wait (a cold or loaded cluster); poll for it.
  if (created.nextUrl === null) slowNextUrls++;
  while (created.nextUrl === null) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const polled = await fetch(`${stack.apiUrl}/v1/payments/${created.paymentId}`, {
      headers: stack.auth,
    });
    created.nextUrl = ((await polled.json()) as { nextUrl: string | null }).nextUrl;
  }
  await fetch(`${created.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  const result = await stack.client.workflow.getHandle(created.paymentId).result();
  if (result.state !== 'allocated')
    throw new Error(`payment ${created.paymentId} ended ${result.state}`);
  latencies.push(performance.now() - started);
  if (index === 0) {
    const history = await stack.client.workflow.getHandle(created.paymentId).fetchHistory();
    paymentCounts = historyCounts(history);
  }
};
await inParallel(Math.min(20, payments), 20, pay); // warm-up: JIT, pools, workflow cache
const activitiesPerPayment = paymentCounts?.activities ?? 0;
latencies.length = 0;
const paymentMs = await inParallel(payments, concurrency, pay);
latencies.sort((a, b) => a - b);

const floorLatencies: number[] = [];
const floorMs = await inParallel(payments, concurrency, async (index) => {
  const started = performance.now();
  await stack.client.workflow.execute(floorWorkflow, {
    workflowId: `floor-${index}`,
    taskQueue: 'bench',
    args: [activitiesPerPayment],
  });
  floorLatencies.push(performance.now() - started);
});
floorLatencies.sort((a, b) => a - b);
const floorCounts = historyCounts(await stack.client.workflow.getHandle('floor-0').fetchHistory());

const paymentsPerSecond = (payments / paymentMs) * 1000;
const floorPerSecond = (payments / floorMs) * 1000;
const [journals] = await stack.database
  .sql`select count(*)::int as n from journals where kind = 'payment'`;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'payments',
      date: new Date().toISOString(),
      machine: machine(),
      temporal: process.env.BENCH_TEMPORAL === 'cluster' ? 'cluster 1.30.4' : 'dev server',
      workers: benchWorkerCount(),
      loadAverage: loadavg().map((load) => Math.round(load * 10) / 10),
      payments,
      concurrency,
      activitiesPerPayment,
      // Round trips per run: the payment's against the floor's (bench/historyCounts.ts).
      historyPerPayment: paymentCounts,
      historyPerFloorRun: floorCounts,
      journalsPosted: journals?.n,
      postsAnswered202: slowNextUrls,
      lifecycles: {
        perSecond: Math.round(paymentsPerSecond * 10) / 10,
        p50Ms: Math.round(percentile(latencies, 50)),
        p99Ms: Math.round(percentile(latencies, 99)),
      },
      floor: {
        perSecond: Math.round(floorPerSecond * 10) / 10,
        p50Ms: Math.round(percentile(floorLatencies, 50)),
        p99Ms: Math.round(percentile(floorLatencies, 99)),
      },
      ratioToFloor: Math.round((paymentsPerSecond / floorPerSecond) * 100) / 100,
      webhooks: sandboxPsp.stats().webhooks,
    },
    null,
    2,
  )}\n`,
);
await sandbox.close();
await stack.stop();
