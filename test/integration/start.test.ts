// Proves the README's first command: the start script brings up embedded PostgreSQL, the
// Temporal dev server, the worker and the API; /health turns healthy; a workflow runs end to
// end; and SIGTERM stops every child cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../platform/ports';
import { canConnect } from '../../platform/postgres';
import { request as requestAs } from '../harness/stack';
import { adminPassword, signInAndCreateKey, waitForOutput } from '../harness/startScript';

const startTimeoutMs = 150_000;
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ims-start-'));
  chmodSync(dataDir, 0o755);
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the whole product, serves a workflow, and stops cleanly on SIGTERM', {
    timeout: startTimeoutMs + 90_000,
  }, async () => {
    const [port, pgPort, temporalPort, uiPort, metricsPort, pspPort, notifyPort] =
      await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      WORKER_METRICS_PORT: String(metricsPort),
      SANDBOX_PSP_PORT: String(pspPort),
      NOTIFY_SIMULATOR_PORT: String(notifyPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      IMS_ADMIN_PASSWORD: adminPassword,
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    delete env.NOTIFY_API_KEY;
    delete env.NOTIFY_BASE_URL;
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
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
    // Served by the IMS to signed-in operators, so its codec calls carry their session.
    expect(output).toContain(`Temporal UI  http://127.0.0.1:${port}/temporal/`);

    const baseUrl = `http://127.0.0.1:${port}`;
    const health = await requestAs(baseUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');

    // Nothing but health is open: the first administrator signs in and makes an API key.
    expect((await requestAs(baseUrl, 'GET', '/v1/payments')).status).toBe(401);
    const { auth, cookie } = await signInAndCreateKey(baseUrl);
    const ui = await fetch(`${baseUrl}/temporal/api/v1/settings`, { headers: { cookie } });
    expect(ui.status).toBe(200);
    expect(((await ui.json()) as { Codec: { Endpoint: string } }).Codec.Endpoint).toBe('/codec');
    const request = (method: string, path: string, body?: unknown) =>
      requestAs(baseUrl, method, path, body, auth);

    const probe = await request('POST', '/v1/probes', { requestedBy: 'smoke' });
    const done = await request('GET', `/v1/probes/${probe.body.probeId}?waitMs=30000`);
    expect(done.body.state).toBe('completed');

    // A new user's first payment: one POST, pay on the sandbox page, see it in the ledger.
    const payment = await request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 10_000 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/done',
      email: 'first.payer@example.org',
    });
    expect(payment.status).toBe(201);
    expect(payment.body.nextUrl).toContain(`127.0.0.1:${pspPort}/pay/`);
    const paid = await fetch(`${payment.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    let state = '';
    for (let i = 0; i < 100 && state !== 'allocated'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = (await request('GET', `/v1/payments/${payment.body.paymentId}`)).body.state;
    }
    expect(state).toBe('allocated');
    const ledger = await request('GET', '/v1/ledger/accounts?fundCode=CTAX');
    expect(ledger.body.accounts[0].creditBalancePence).toBe(10_000);
    // Its receipt reaches the Notify simulator npm start runs, and Notify's callback is taken.
    let emailState = '';
    for (let i = 0; i < 100 && emailState !== 'delivered'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const emails = await request('GET', `/v1/emails?paymentId=${payment.body.paymentId}`);
      emailState = emails.body.items?.[0]?.status ?? '';
    }
    expect(emailState).toBe('delivered');
    const sent = await (await fetch(`http://127.0.0.1:${notifyPort}/`)).text();
    expect(sent).toContain('first.payer@example.org');
    expect(sent).toContain('amount: £100.00');

    const metrics = await request('GET', '/metrics');
    expect(metrics.text).toContain('ims_worker_metrics_up 1');

    const exited = new Promise<number | null>((resolve) =>
      child?.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('[ims] stopped');
    await expect(
      canConnect(`postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`),
    ).rejects.toThrow();
  });
});
