import { Connection } from '@temporalio/client';
import { type ManagedProcess, spawnManaged } from './childProcess';
import { freePort, waitFor } from './ports';
import { devServerSearchAttributeFlags } from './searchAttributes';

/**
 * Runs `temporal server start-dev`: a real Temporal server (with SQLite, or in memory for
 * tests) and its Web UI, with the IMS's search attributes registered at start.
 */
export type DevServerOptions = {
  cliPath: string;
  port: number;
  namespace: string;
  /** Absent: state lives in memory and is lost when the process ends (tests). */
  dbFile?: string;
  /** Absent: no Web UI (tests). */
  uiPort?: number;
  /** The path the Web UI is served under (behind the IMS's /temporal); only with uiPort. */
  uiPublicPath?: string;
  /** Where the Web UI sends payloads to be decoded (the API's /codec); only with uiPort. */
  uiCodecEndpoint?: string;
  logFile?: string;
  ownProcessGroup?: boolean;
};

export type RunningTemporal = {
  address: string;
  uiUrl: string | null;
  process: ManagedProcess;
  stop: () => Promise<void>;
};

export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--http-port',
    String(await freePort()),
    '--metrics-port',
    String(await freePort()),
    '--log-level',
    'warn',
    '--namespace',
    options.namespace,
    ...devServerSearchAttributeFlags(),
    ...(options.dbFile === undefined ? [] : ['--db-filename', options.dbFile]),
    ...(options.uiPort === undefined
      ? ['--headless']
      : ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch']),
    ...(options.uiPort === undefined || options.uiPublicPath === undefined
      ? []
      : ['--ui-public-path', options.uiPublicPath]),
    ...(options.uiPort === undefined || options.uiCodecEndpoint === undefined
      ? []
      : ['--ui-codec-endpoint', options.uiCodecEndpoint]),
  ];
  const managed = spawnManaged({
    name: 'temporal',
    command: options.cliPath,
    args,
    logFile: options.logFile,
    ownProcessGroup: options.ownProcessGroup,
  });
  const address = `127.0.0.1:${options.port}`;
  const early = managed.exited.then((code) => {
    throw new Error(
      `Temporal dev server exited with code ${code} during start-up; see ${options.logFile ?? 'its output'}`,
    );
  });
  await Promise.race([waitForTemporal(address, options.namespace, 60_000), early]);
  early.catch(() => {}); // the race is over; a later exit is handled by whoever owns the process
  return {
    address,
    uiUrl: options.uiPort === undefined ? null : `http://127.0.0.1:${options.uiPort}`,
    process: managed,
    stop: () => managed.stop(10_000),
  };
}

/** Ready means the namespace answers, not merely that the port is open. */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    timeoutMs,
    250,
  );
}
