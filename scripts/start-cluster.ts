import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '../platform/config';
import { startClusterStack } from './clusterStack';
import { announce, waitForApiAndSchedules } from './startParts';
import { createSupervisor, say } from './supervisor';

/**
 * `npm run start:cluster`: the product as production runs it (docs/operations.md, "The
 * production shape on one machine"): one PostgreSQL (embedded, port PG_PORT, default 5499,
 * data in DATA_DIR, default .data/cluster), the real Temporal server on it (port
 * TEMPORAL_CLUSTER_PORT, default 7433), the production build, the API and CLUSTER_WORKERS
 * (default 2) worker processes. Ready once /health answers and every worker polls.
 * CLUSTER_BUILD=false reuses dist/. Ctrl-C stops the API and workers, then Temporal, then
 * PostgreSQL.
 */
process.env.PG_PORT ??= '5499';
process.env.DATA_DIR ??= join('.data', 'cluster');
const supervisor = createSupervisor();

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // `on`, not `once`: Ctrl-C under npm reaches us twice (from the terminal and relayed by
  // tsx), and a second SIGINT without a handler would kill us before the children stop.
  process.on('SIGINT', () => void supervisor.stopAll(0));
  process.on('SIGTERM', () => void supervisor.stopAll(0));
  const workers = Number(process.env.CLUSTER_WORKERS ?? 2);
  const stack = await startClusterStack(supervisor, {
    config,
    dataDir,
    workers,
    temporalPort: Number(process.env.TEMPORAL_CLUSTER_PORT ?? 7433),
    build: process.env.CLUSTER_BUILD !== 'false',
  });
  await waitForApiAndSchedules(config, stack.temporalAddress, stack.encryption);
  await stack.waitForWorkers();
  say(
    `${workers} workers polling task queue ${config.TEMPORAL_TASK_QUEUE} (logs in ${join(dataDir, 'logs')})`,
  );
  announce(config, dataDir, stack.encryption, undefined, [
    `Temporal     ${stack.temporalAddress} (the Temporal server on PostgreSQL, ${workers} workers)`,
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[ims] start:cluster failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  void supervisor.stopAll(1);
});
