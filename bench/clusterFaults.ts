/**
 * `npm run faults:cluster [payments=500] [rows=100000]`: the production shape
 * (scripts/clusterStack.ts: one PostgreSQL, the Temporal server, the production build, the API,
 * two workers) under faults, then checks that nothing was lost or doubled (bench/faultChecks.ts).
 *   1. `payments` card payments through the sandbox PSP; worker 1 SIGKILLed a third of the way.
 *   2. a `rows`-row import; worker 1 SIGKILLed once posting has begun.
 *   3. another `rows`-row import; PostgreSQL stopped and started again once posting has begun.
 *   4. `payments` / 2 card payments; the PSP unreachable for FAULT_PSP_PAUSE_MS (60 s) from a
 *      quarter of the way.
 * FAULT_CONCURRENCY (20) payments at once. Prints JSON (also to FAULT_REPORT, a file, if set);
 * exits 1 when a check fails, keeping the processes' logs.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../db/client';
import { insertApiKey } from '../db/identity';
import { councilPermissions } from '../domain/permissions';
import { loadConfigOrExit } from '../platform/config';
import { freePort, waitFor } from '../platform/ports';
import { sandboxApiKey, sandboxWebhookSecret } from '../platform/psp';
import { freeClusterPort } from '../platform/temporalCluster';
import { createSandboxPsp } from '../psp/sandbox/sandboxPsp';
import { startClusterStack } from '../scripts/clusterStack';
import { createSupervisor } from '../scripts/supervisor';
import { checkImport, checkPayments, failuresOf, trialBalance } from './faultChecks';
import {
  type Api,
  type ImportBody,
  inParallel,
  takePayment,
  uploadImport,
  waitForImport,
  writeCollectionFile,
} from './faultLoad';
import { percentile } from './stack';
import { startTcpProxy } from './tcpProxy';

const paymentCount = Number(process.argv[2] ?? 500);
const rows = Number(process.argv[3] ?? 100_000);
const pspPauseMs = Number(process.env.FAULT_PSP_PAUSE_MS ?? 60_000);
const concurrency = Number(process.env.FAULT_CONCURRENCY ?? 20);
const log = (line: string) =>
  process.stderr.write(`[faults] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

const scratch = mkdtempSync(join(tmpdir(), 'ims-faults-'));
chmodSync(scratch, 0o755);
const [apiPort, pgPort, sandboxPort, temporalPort] = await Promise.all([
  freePort(),
  freePort(),
  freePort(),
  freeClusterPort(),
]);
const proxy = await startTcpProxy(sandboxPort);
Object.assign(process.env, {
  DATA_DIR: scratch,
  PORT: String(apiPort),
  PG_PORT: String(pgPort),
  WORKER_METRICS_PORT: '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  PSP_BASE_URL: `http://127.0.0.1:${proxy.port}`,
});
const config = loadConfigOrExit();
const apiUrl = `http://127.0.0.1:${apiPort}`;
// In this process, behind the proxy: taking the PSP off the network keeps its payments.
const sandbox = await createSandboxPsp({
  apiKeys: [sandboxApiKey],
  webhookUrl: `${apiUrl}/v1/webhooks/govuk-pay`,
  webhookSecret: sandboxWebhookSecret,
  publicUrl: `http://127.0.0.1:${proxy.port}`,
}).start(sandboxPort, '127.0.0.1');

const supervisor = createSupervisor(log);
const stack = await startClusterStack(supervisor, {
  config,
  dataDir: scratch,
  workers: 2,
  temporalPort,
  build: process.env.CLUSTER_BUILD !== 'false',
  // Webhooks drive payments; polling the PSP is what finds a payment whose webhook was lost.
  env: { PAYMENT_POLL_INITIAL_MS: '5000', PAYMENT_POLL_MAX_MS: '30000' },
});
await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 120_000, 500);
await stack.waitForWorkers();
const owner = connectDatabase(stack.databaseUrl, { poolMax: 2 });
const { key } = await insertApiKey(
  owner.db,
  {
    principal: 'faults',
    description: 'fault run',
    permissions: [...councilPermissions],
    fundGroups: null,
  },
  'system:faults',
);
const api: Api = { url: apiUrl, auth: { Authorization: `Bearer ${key}` } };
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  paymentCount,
  rows,
  pspPauseMs,
  concurrency,
};

async function paymentPhase(
  name: string,
  count: number,
  faultAt: number,
  fault: () => Promise<void>,
) {
  let done = 0;
  let faulted: Promise<void> | undefined;
  const started = performance.now();
  const outcomes = await inParallel(count, concurrency, async (index) => {
    const outcome = await takePayment(api, `${name}-${index}`, 1_000 + index);
    if (++done === faultAt) faulted = fault();
    return outcome;
  });
  await faulted;
  const wallMs = performance.now() - started;
  const latencies = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  report[name] = {
    payments: count,
    wallS: seconds(wallMs),
    perSecond: Math.round((count / wallMs) * 10_000) / 10,
    p50S: seconds(percentile(latencies, 50)),
    p99S: seconds(percentile(latencies, 99)),
    maxS: seconds(latencies.at(-1) ?? 0),
  };
  log(`${name}: ${JSON.stringify(report[name])}`);
  return outcomes;
}

async function importPhase(name: string, seed: number, fault: () => Promise<void>) {
  const file = await writeCollectionFile(join(scratch, `${name}.txt`), rows, seed);
  const started = performance.now();
  const importId = await uploadImport(api, file);
  let faultedAtMs: number | undefined;
  let postingSeenAt: number | undefined;
  const finished: ImportBody = await waitForImport(api, importId, async (body) => {
    if (body.state !== 'posting' || faultedAtMs !== undefined) return;
    postingSeenAt ??= performance.now();
    // A second into posting: chunks are in flight and some are done.
    if (performance.now() - postingSeenAt < 1_000) return;
    faultedAtMs = performance.now() - started;
    await fault();
  });
  const totalMs = performance.now() - started;
  report[name] = {
    importId,
    state: finished.state,
    totalS: seconds(totalMs),
    faultAtS: faultedAtMs === undefined ? null : seconds(faultedAtMs),
    afterFaultS: faultedAtMs === undefined ? null : seconds(totalMs - faultedAtMs),
    rowsPerSecond: Math.round((rows / totalMs) * 1000),
  };
  log(`${name}: ${JSON.stringify(report[name])}`);
  return { importId, file };
}

const restartWorker = async () => {
  stack.startWorker(0);
  await stack.waitForWorkers();
};
const killWorker = async () => {
  log('SIGKILL worker-1');
  await stack.killWorker(0);
};

let failures: string[] = [];
try {
  const first = await paymentPhase(
    'paymentsWorkerKilled',
    paymentCount,
    Math.floor(paymentCount / 3),
    killWorker,
  );
  await restartWorker();
  const importA = await importPhase('importWorkerKilled', 1, killWorker);
  await restartWorker();
  const importB = await importPhase('importPostgresRestarted', 2, async () => {
    log('restarting PostgreSQL');
    await stack.restartPostgres(5_000);
    log('PostgreSQL is back');
  });
  const second = await paymentPhase(
    'paymentsPspAway',
    Math.floor(paymentCount / 2),
    Math.floor(paymentCount / 8),
    async () => {
      log(`PSP unreachable for ${pspPauseMs} ms`);
      await proxy.down();
      await new Promise((resolve) => setTimeout(resolve, pspPauseMs));
      await proxy.up();
      log('PSP reachable again');
    },
  );
  const outcomes = [...first, ...second];
  const payments = await checkPayments(owner.sql, outcomes);
  const balance = await trialBalance(owner.sql);
  const imports = [
    await checkImport(owner.sql, importA.importId, importA.file),
    await checkImport(owner.sql, importB.importId, importB.file),
  ];
  failures = failuresOf(payments, balance, imports, outcomes.length);
  Object.assign(report, { checks: { payments, balance, imports }, failures });
} catch (error) {
  failures = [`the run did not finish: ${error instanceof Error ? error.stack : String(error)}`];
  report.failures = failures;
} finally {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  process.stdout.write(json);
  if (process.env.FAULT_REPORT !== undefined) writeFileSync(process.env.FAULT_REPORT, json);
  await owner.close();
  await supervisor.stopEverything();
  await sandbox.close();
  await proxy.down();
  if (failures.length === 0) rmSync(scratch, { recursive: true, force: true });
  else log(`logs kept in ${join(scratch, 'logs')}`);
}
process.exit(failures.length === 0 ? 0 : 1);
