import { join } from 'node:path';
import { spawnEmbeddedPostgres } from '../platform/postgresProcess';
import { ensureTemporalServerBinaries, startTemporalCluster } from '../platform/temporalCluster';

/**
 * `npm run temporal:cluster`: the real Temporal server on PostgreSQL, without Docker (issue
 * 16). Builds the server and its SQL tool from the Go module proxy into .tools/ (once), starts
 * an embedded PostgreSQL in .data/cluster/pg (or uses TEMPORAL_CLUSTER_PG_ADMIN_URL, a
 * superuser URL), sets the schema up and runs frontend, history, matching and worker on
 * 127.0.0.1:7433. Ctrl-C stops it. The product does not run on it yet (see issue 16).
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = join(import.meta.dirname, '..', '.data', 'cluster');
const binaries = ensureTemporalServerBinaries(log);
const given = process.env.TEMPORAL_CLUSTER_PG_ADMIN_URL;
const postgres =
  given === undefined
    ? await spawnEmbeddedPostgres({
        dataDir: join(dataDir, 'pg'),
        port: 5499,
        database: 'temporal',
        logFile: join(dataDir, 'postgres.log'),
      })
    : undefined;
const cluster = await startTemporalCluster({
  binaries,
  adminUrl: given ?? (postgres?.adminUrl as string),
  dataDir,
  frontendPort: Number(process.env.TEMPORAL_CLUSTER_PORT ?? 7433),
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
});
log(`Temporal cluster ready at ${cluster.address} (log: ${join(dataDir, 'temporal-server.log')})`);
const stop = async () => {
  await cluster.stop();
  await postgres?.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
