import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  GracefulShutdownPeriodExpiredError,
  NativeConnection,
  Runtime,
  type Worker,
} from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../api/app';
import type { ApiContext } from '../../api/context';
import { createApiMetrics } from '../../api/metrics';
import { appDatabaseUrl } from '../../db/appRole';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { attachCouncilKeys } from '../../db/councilKeys';
import { type CouncilDatabases, connectCouncilDatabases } from '../../db/councils';
import { insertApiKey } from '../../db/identity';
import type { DeploymentPspKeysServe } from '../../db/pspCredentials';
import { type Permission, permissions } from '../../domain/permissions';
import { councilSearchAttributeInterceptor } from '../../platform/councilSearchAttribute';
import type { Logger } from '../../platform/logger';
import { dropDatabase, ensureDatabase } from '../../platform/postgres';
import type { PaymentServiceProvider } from '../../psp';
import { createImsWorker } from '../../worker';
import type { PaymentTiming } from '../../workflows/payment';
import { databaseUrlFor, type StackInfo, templateDatabase, testDataConverter } from './stackInfo';

/**
 * Per test file: a fresh database cloned from the migrated template, a worker on a task queue
 * of its own, a Temporal client, and the real Express app on a free port.
 */
export type TestStack = {
  info: StackInfo;
  databaseName: string;
  databaseUrl: string;
  /** The owner's connection: tests check and arrange rows with it, past row-level security. */
  database: DatabaseHandle;
  /** As the application role, as the API and worker connect (row-level security applies). */
  appDatabaseUrl: string;
  councils: CouncilDatabases;
  taskQueue: string;
  temporal: Client;
  api: ApiContext;
  baseUrl: string;
  /** Starts the worker (again); tests that crash workers call stopWorker then this. */
  startWorker: () => Promise<void>;
  stopWorker: () => Promise<void>;
  /**
   * fetch against the API, JSON in and out, authenticated with an API key holding every
   * permission: for principal `tester`, or for the principal named by an `X-Actor` header
   * (a test convenience: the header is turned into that principal's key and not sent). An
   * explicit `Authorization` header is sent as given; an empty one is dropped (anonymous).
   */
  request: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<TestResponse>;
  /** `{ Authorization: 'Bearer …' }` for a principal holding every permission. */
  authHeaders: (principal?: string) => Promise<Record<string, string>>;
  /** A Bearer header for a new key with just these permissions and fund groups. */
  keyFor: (
    principal: string,
    permissions: Permission[],
    fundGroups?: string[] | null,
  ) => Promise<Record<string, string>>;
};

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of every shape.
export type TestResponse = { status: number; headers: Headers; body: any; text: string };

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

// The SDK's own logs would drown the test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process by another test file: keep it.
}

/** A PSP for tests that never take a payment: any call is a test bug and fails loudly. */
const noPsp = new Proxy({} as PaymentServiceProvider, {
  get: (_target, method) => () =>
    Promise.reject(new Error(`this test file configured no PSP (called ${String(method)})`)),
});

export type TestStackOptions = {
  /** false: the file starts the worker itself (stack.startWorker) when it is ready. */
  worker?: boolean;
  /** Read when the worker starts, so a file can start its sandbox PSP first. */
  psp?: () => PaymentServiceProvider;
  webhookSecret?: string;
  /** As against the real GOV.UK Pay: 'default-council' (db/pspCredentials.ts). */
  deploymentPspKeysServe?: DeploymentPspKeysServe;
  paymentTiming?: PaymentTiming;
  /** Serve the shared dev server's Web UI at /temporal, as npm start does (web/temporalUi.ts). */
  temporalUi?: boolean;
  /** The worker's and the API's logger (default: silent unless TEST_LOG_LEVEL). */
  logger?: Logger;
};

export const testPaymentTiming: PaymentTiming = {
  expiryMs: 60_000,
  expiryGraceMs: 5_000,
  pollInitialMs: 2_000,
  pollMaxMs: 5_000,
};

export function useTestStack(options: TestStackOptions = {}): TestStack {
  const stack = {} as TestStack;
  let nativeConnection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  let running: { worker: Worker; done: Promise<void>; close: () => Promise<void> } | undefined;
  let server: Server | undefined;

  beforeAll(async () => {
    const info = inject('stack');
    const suffix = randomBytes(6).toString('hex');
    stack.info = info;
    stack.databaseName = `t_${suffix}`;
    await ensureDatabase(info.adminUrl, stack.databaseName, templateDatabase);
    stack.databaseUrl = databaseUrlFor(info.adminUrl, stack.databaseName);
    stack.database = connectDatabase(stack.databaseUrl, { poolMax: 5 });
    stack.appDatabaseUrl = appDatabaseUrl(stack.databaseUrl, info.appRolePassword);
    stack.councils = connectCouncilDatabases(stack.appDatabaseUrl, { poolMax: 5 });
    stack.taskQueue = `test-${suffix}`;

    nativeConnection = await NativeConnection.connect({ address: info.temporalAddress });
    clientConnection = await Connection.connect({ address: info.temporalAddress });
    const clientConverter = testDataConverter(info);
    attachCouncilKeys(clientConverter, stack.councils);
    stack.temporal = new Client({
      connection: clientConnection,
      namespace: info.namespace,
      dataConverter: clientConverter,
      interceptors: { workflow: [councilSearchAttributeInterceptor] },
    });

    stack.startWorker = async () => {
      if (running !== undefined) return;
      const { worker, close } = await createImsWorker({
        connection: nativeConnection!,
        namespace: info.namespace,
        taskQueue: stack.taskQueue,
        databaseUrl: stack.appDatabaseUrl,
        logger: options.logger ?? silentLogger,
        psp: options.psp?.() ?? noPsp,
        ...(options.deploymentPspKeysServe === undefined
          ? {}
          : { deploymentPspKeysServe: options.deploymentPspKeysServe }),
        workflowBundlePath: info.workflowBundlePath,
        databasePoolMax: 5,
        dataConverter: testDataConverter(info),
      });
      running = { worker, done: worker.run(), close };
    };
    stack.stopWorker = async () => {
      if (running === undefined) return;
      const current = running;
      running = undefined;
      current.worker.shutdown();
      // A forced stop (an activity that would not finish; worker.ts) still ends the worker.
      await current.done.catch((error: unknown) => {
        if (!(error instanceof GracefulShutdownPeriodExpiredError)) throw error;
      });
      await current.close();
    };
    if (options.worker !== false) await stack.startWorker();

    stack.api = {
      db: stack.councils.db,
      sql: stack.councils.sql,
      temporal: stack.temporal,
      namespace: info.namespace,
      taskQueue: stack.taskQueue,
      logger: options.logger ?? silentLogger,
      metrics: createApiMetrics(),
      version: 'test',
      webhookSecret: options.webhookSecret,
      deploymentPspKeysServe: options.deploymentPspKeysServe,
      paymentTiming: options.paymentTiming ?? testPaymentTiming,
      imports: {
        storageDir: join(tmpdir(), `ims-imports-${suffix}`),
        maxBytes: 256 * 1024 * 1024,
        chunkRows: 1_000,
        parallelChunks: 2,
      },
      exportScratchDir: join(tmpdir(), `ims-exports-${suffix}`),
      temporalUiUpstream: options.temporalUi === true ? info.temporalUiUrl : undefined,
    };
    const app = createApp(stack.api);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('API did not bind a port');
    stack.baseUrl = `http://127.0.0.1:${address.port}`;
    stack.keyFor = async (principal, granted, fundGroups = null) => {
      // No audit row: tests that count audit rows see only what they did.
      const { key } = await insertApiKey(
        stack.database.db,
        { principal, description: `test key for ${principal}`, permissions: granted, fundGroups },
        'system:test',
      );
      return { Authorization: `Bearer ${key}` };
    };
    const fullKeys = new Map<string, Promise<Record<string, string>>>();
    stack.authHeaders = (principal = 'tester') => {
      let headers = fullKeys.get(principal);
      if (headers === undefined) {
        headers = stack.keyFor(principal, [...permissions]);
        fullKeys.set(principal, headers);
      }
      return headers;
    };
    stack.request = async (method, path, body, headers = {}) => {
      const sent = { ...headers };
      const named = Object.keys(sent).find((name) => name.toLowerCase() === 'authorization');
      if (named !== undefined) {
        if (sent[named] === '') delete sent[named];
      } else {
        const actorName = Object.keys(sent).find((name) => name.toLowerCase() === 'x-actor');
        const principal = actorName === undefined ? 'tester' : sent[actorName]!;
        if (actorName !== undefined) delete sent[actorName];
        Object.assign(sent, await stack.authHeaders(principal));
      }
      return request(stack.baseUrl, method, path, body, sent);
    };
  });

  afterAll(async () => {
    await stack.stopWorker?.();
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await clientConnection?.close();
    await nativeConnection?.close();
    await stack.councils?.close();
    await stack.database?.close();
    if (stack.databaseName !== undefined)
      await dropDatabase(stack.info.adminUrl, stack.databaseName);
  });

  return stack;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Non-JSON bodies (metrics) stay as text.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
