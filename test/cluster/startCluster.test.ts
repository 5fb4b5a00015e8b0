// Proves `npm run start:cluster` (issue 16): the production build on the real Temporal server
// on PostgreSQL comes up healthy with two worker processes polling, takes a card payment end
// to end through the sandbox PSP, and SIGINT (Ctrl-C) stops everything, PostgreSQL last.
// Run by `npm run test:cluster` (scripts/test-cluster.ts), not by `npm test`: it builds.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../platform/ports';
import { canConnect } from '../../platform/postgres';
import { pollingProcessIds } from '../../platform/taskQueuePollers';
import { freeClusterPort } from '../../platform/temporalCluster';
import { request as requestAs } from '../harness/stack';
import { adminPassword, signInAndCreateKey, waitForOutput } from '../harness/startScript';

const startTimeoutMs = 240_000;

async function payByCard(baseUrl: string, auth: Record<string, string>): Promise<void> {
  const request = (method: string, path: string, body?: unknown) =>
    requestAs(baseUrl, method, path, body, auth);
  const payment = await request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 10_000 }],
    description: 'Council tax',
    returnUrl: 'https://council.example/done',
  });
  expect(payment.status).toBe(201);
  const paid = await fetch(`${payment.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  let state = '';
  for (let i = 0; i < 150 && state !== 'allocated'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    state = (await request('GET', `/v1/payments/${payment.body.paymentId}`)).body.state;
  }
  expect(state).toBe('allocated');
  const ledger = await request('GET', '/v1/ledger/accounts?fundCode=CTAX');
  expect(ledger.body.accounts[0].creditBalancePence).toBe(10_000);
}

describe('npm run start:cluster', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ims-cluster-'));
  chmodSync(dataDir, 0o755);
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the production build on the cluster with two workers and stops on SIGINT', {
    timeout: startTimeoutMs + 120_000,
  }, async () => {
    const [port, pgPort, metricsPort, pspPort, temporalPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freeClusterPort(),
    ]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      PG_PORT: String(pgPort),
      TEMPORAL_CLUSTER_PORT: String(temporalPort),
      // Worker 2 takes the next port.
      WORKER_METRICS_PORT: String(metricsPort),
      SANDBOX_PSP_PORT: String(pspPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      IMS_ADMIN_PASSWORD: adminPassword,
      CLUSTER_BUILD: process.env.CLUSTER_BUILD ?? 'true',
    };
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'NODE_ENV']) delete env[name];
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-cluster.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    await waitForOutput(child, /Press Ctrl-C to stop/, () => output, startTimeoutMs);
    expect(output).toContain('2 workers polling task queue ims');

    const baseUrl = `http://127.0.0.1:${port}`;
    const health = await requestAs(baseUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.temporal.status).toBe('up');
    const pollers = await pollingProcessIds(`127.0.0.1:${temporalPort}`, 'default', 'ims');
    expect(pollers.size).toBeGreaterThanOrEqual(2);

    const { auth } = await signInAndCreateKey(baseUrl);
    await payByCard(baseUrl, auth);

    const exited = new Promise<number | null>((resolve) =>
      child?.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('[ims] stopped');
    await expect(
      canConnect(`postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`),
    ).rejects.toThrow();
  });
});
