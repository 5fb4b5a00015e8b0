import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { type ManagedProcess, spawnManaged } from './childProcess';
import { waitFor } from './ports';
import { ensureDatabase } from './postgres';
import { registerSearchAttributes } from './registerSearchAttributes';

/**
 * The production shape of Temporal without Docker (issue 16): the real server (frontend,
 * history, matching and worker services) on PostgreSQL, built from the Go module proxy at the
 * version the compose file runs, its schema set up by Temporal's own SQL tool. The dev server
 * (platform/temporalServer.ts) stays what tests use; this is for proving the cluster shape.
 */
export const temporalServerVersion = '1.30.4';

const projectRoot = join(import.meta.dirname, '..');
const toolsDir = join(projectRoot, '.tools', `temporal-server-${temporalServerVersion}`);

export type TemporalServerBinaries = { server: string; sqlTool: string; schemaDir: string };

function goInstall(pkg: string, log: (line: string) => void): void {
  log(`building ${pkg}@v${temporalServerVersion} into ${toolsDir} (a few minutes, once)`);
  try {
    execFileSync('go', ['install', `${pkg}@v${temporalServerVersion}`], {
      env: { ...process.env, GOBIN: toolsDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (error) {
    throw new Error(
      `go install ${pkg}@v${temporalServerVersion} failed (is the Go module proxy reachable?): ${String(error)}`,
    );
  }
}

/** Builds the server and the SQL tool once into .tools/, and finds the schema in the module cache. */
export function ensureTemporalServerBinaries(
  log: (line: string) => void = () => {},
): TemporalServerBinaries {
  mkdirSync(toolsDir, { recursive: true });
  const server = join(toolsDir, 'server');
  const sqlTool = join(toolsDir, 'sql');
  if (!existsSync(server)) goInstall('go.temporal.io/server/cmd/server', log);
  if (!existsSync(sqlTool)) goInstall('go.temporal.io/server/cmd/tools/sql', log);
  const moduleCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const schemaDir = join(
    moduleCache,
    `go.temporal.io/server@v${temporalServerVersion}`,
    'schema/postgresql/v12',
  );
  if (!existsSync(schemaDir)) throw new Error(`Temporal's schema is not at ${schemaDir}`);
  return { server, sqlTool, schemaDir };
}

export type ClusterOptions = {
  binaries: TemporalServerBinaries;
  /** A PostgreSQL superuser URL (the embedded one, or DATABASE_URL's server). */
  adminUrl: string;
  /** Where the rendered configuration and the server's log go. */
  dataDir: string;
  /** The frontend's gRPC port; history, matching and worker take the next ones. */
  frontendPort: number;
  namespace: string;
  /** A terminal's Ctrl-C then reaches only the orchestrator, which stops workers first. */
  ownProcessGroup?: boolean;
  /** Dynamic config beyond the deployment's own (deploy/temporal/dynamicconfig/ims.yaml). */
  dynamicConfig?: Record<string, string | number | boolean>;
};

const deploymentDynamicConfig = join(
  projectRoot,
  'deploy',
  'temporal',
  'dynamicconfig',
  'ims.yaml',
);

/** The compose file's dynamic config, then the caller's additions, global (no constraints). */
function renderDynamicConfig(extra: ClusterOptions['dynamicConfig'] = {}): string {
  const added = Object.entries(extra).map(
    ([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n    constraints: {}\n`,
  );
  return [readFileSync(deploymentDynamicConfig, 'utf8'), ...added].join('\n');
}

export type RunningCluster = {
  address: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
};

/** Creates the two databases and brings their schema to the server's version; safe to repeat. */
function setUpSchema(options: ClusterOptions, url: URL): void {
  const connection = [
    '--plugin',
    'postgres12',
    '--ep',
    url.hostname,
    '-p',
    url.port || '5432',
    '-u',
    decodeURIComponent(url.username),
    '--pw',
    decodeURIComponent(url.password),
    // An already set-up database answers setup-schema with an error; that is not a failure.
    '--quiet',
  ];
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const run = (...args: string[]) =>
      execFileSync(options.binaries.sqlTool, [...connection, '--db', database, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    // Version 0 first on an empty database; an already set up one keeps its version.
    run('setup-schema', '-v', '0.0');
    run('update-schema', '-d', join(options.binaries.schemaDir, schema, 'versioned'));
  }
}

function renderConfig(options: ClusterOptions, url: URL): string {
  const port = options.frontendPort;
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${url.hostname}:${url.port || '5432'}"
        connectProtocol: "tcp"
        user: "${decodeURIComponent(url.username)}"
        password: "${decodeURIComponent(url.password)}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: string, offset: number) => `
  ${name}:
    rpc:
      grpcPort: ${port + offset}
      membershipPort: ${port + 100 + offset}
      bindOnLocalHost: true`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:${service('frontend', 0)}${service('history', 1)}${service('matching', 2)}${service('worker', 3)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${port}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${join(options.dataDir, 'config', 'dynamicconfig.yaml')}"
  pollInterval: "60s"
`;
}

async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch {
      // not there yet
    }
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(7 * 24 * 3_600_000),
    });
  } finally {
    await connection.close();
  }
}

/** Starts the four services in one server process, as the compose file's `temporal` does. */
export async function startTemporalCluster(options: ClusterOptions): Promise<RunningCluster> {
  const url = new URL(options.adminUrl);
  await ensureDatabase(options.adminUrl, 'temporal');
  await ensureDatabase(options.adminUrl, 'temporal_visibility');
  setUpSchema(options, url);
  const configDir = join(options.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'cluster.yaml'), renderConfig(options, url));
  writeFileSync(join(configDir, 'dynamicconfig.yaml'), renderDynamicConfig(options.dynamicConfig));
  const child = spawnManaged({
    name: 'temporal-cluster',
    command: options.binaries.server,
    args: ['--root', options.dataDir, '--config', 'config', '--env', 'cluster', 'start'],
    logFile: join(options.dataDir, 'temporal-server.log'),
    ownProcessGroup: options.ownProcessGroup ?? false,
  });
  const address = `127.0.0.1:${options.frontendPort}`;
  await waitFor(
    'the Temporal cluster',
    async () => {
      await ensureNamespace(address, options.namespace);
      return true;
    },
    120_000,
    1_000,
  );
  // A new namespace takes a moment to reach every frontend cache; search attributes need it.
  await waitFor(
    'the namespace',
    async () => {
      await registerSearchAttributes(address, options.namespace);
      return true;
    },
    60_000,
    1_000,
  );
  return { address, process: child, stop: () => child.stop(20_000) };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A frontend port for a throwaway cluster (tests, fault runs): the services take it and the
 * next three, and their membership ports 100 above, so all eight must be free.
 */
export async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 9_000);
    const ports = [0, 1, 2, 3, 100, 101, 102, 103].map((offset) => base + offset);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports for a Temporal cluster');
}
