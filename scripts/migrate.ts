import { runMigrations } from '../db/migrate';
import { loadConfigOrExit } from '../platform/config';

// One-shot migration job for deployments (docker-compose's ims-migrate); `npm start` migrates itself.
const config = loadConfigOrExit();
if (config.DATABASE_URL === undefined) {
  process.stderr.write('DATABASE_URL is required to migrate\n');
  process.exit(78);
}
await runMigrations(config.DATABASE_URL);
process.stdout.write('migrations applied\n');
