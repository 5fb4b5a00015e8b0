// Proves the relay loses nothing when its worker process is SIGKILLed mid-delivery (issue 13): a
// worker started as its own process (worker.ts, as production runs it) begins a webhook delivery
// whose receiver holds the request; the process is killed with no chance to clean up; another
// worker then delivers the message, with the same Idempotency-Key, and the delivery log ends
// delivered. The message is never lost and never becomes a second, different message.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { newId } from '../../domain/ids';
import { outboxDeliveryWorkflow, outboxWorkflowId } from '../../workflows/outbox';
import { eventually } from '../harness/eventually';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });

type Hit = { key: string | undefined; res: ServerResponse<IncomingMessage> };
const hits: Hit[] = [];
let receiver: Server;
let receiverUrl: string;
let workerProcess: ChildProcess | undefined;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      hits.push({ key, res });
      // The first request is held (the killed worker never hears back); later ones succeed.
      if (hits.length > 1) res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('receiver did not bind');
  receiverUrl = `http://127.0.0.1:${address.port}/kill`;
});

afterAll(async () => {
  workerProcess?.kill('SIGKILL');
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

/** worker.ts as its own process, on this file's task queue, database and Temporal. */
function spawnWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      DATABASE_APP_URL: stack.appDatabaseUrl,
      TEMPORAL_ADDRESS: stack.info.temporalAddress,
      TEMPORAL_NAMESPACE: stack.info.namespace,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      WORKFLOW_BUNDLE_PATH: stack.info.workflowBundlePath,
      PAYLOAD_ENCRYPTION_KEYS: stack.info.payloadEncryptionKeys,
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      OUTBOX_RETRY_INITIAL_MS: '200',
      OUTBOX_RETRY_MAX_INTERVAL_MS: '500',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('a worker SIGKILLed mid-delivery', () => {
  it('loses nothing: another worker delivers the message, with the same Idempotency-Key', {
    timeout: 120_000,
  }, async () => {
    const created = await stack.request('POST', '/v1/webhook-subscriptions', {
      url: receiverUrl,
      events: ['payment.allocated'],
      description: 'killed mid-delivery',
    });
    expect(created.status, created.text).toBe(201);
    const outboxId = newId('outbox');
    await stack.database.sql`
      insert into outbox (id, topic, dedupe_key, payload, ordering_key, fund_codes)
      values (${outboxId}, 'payment.receipt', ${`kill:${outboxId}`},
              ${JSON.stringify({ paymentId: 'pay_killed', amountPence: 100 })}::jsonb,
              ${'pay_killed'}, ${['CTAX']})`;
    workerProcess = spawnWorker();
    await stack.temporal.workflow.start(outboxDeliveryWorkflow, {
      workflowId: outboxWorkflowId('default', outboxId),
      taskQueue: stack.taskQueue,
      args: [{ outboxId }],
    });
    // A fresh worker process loads its bundle first: give it longer than the default.
    await eventually(
      'the first attempt to reach the receiver',
      async () => (hits.length > 0 ? true : undefined),
      60_000,
    );
    const exited = new Promise((resolve) => workerProcess?.once('exit', resolve));
    workerProcess.kill('SIGKILL');
    await exited;
    hits[0]?.res.destroy(); // the connection the dead worker held
    await stack.startWorker();
    const result = await stack.temporal.workflow
      .getHandle(outboxWorkflowId('default', outboxId))
      .result();
    expect(result).toMatchObject({ outboxId, delivered: 1, dead: 0 });
    expect(hits.map((hit) => hit.key)).toEqual([outboxId, outboxId]);
    const [delivery] = await stack.database.sql<{ status: string }[]>`
      select status from webhook_deliveries where outbox_id = ${outboxId}`;
    expect(delivery?.status).toBe('delivered');
    const [message] = await stack.database.sql<{ sent: boolean }[]>`
      select sent_at is not null as sent from outbox where id = ${outboxId}`;
    expect(message?.sent).toBe(true);
  });
});
