import { enableAppRoleLogin } from '../db/appRole';
import { runMigrations } from '../db/migrate';
import { loadConfigOrExit } from '../platform/config';

// One-shot migration job for deployments (docker-compose's ims-migrate); `npm start` migrates itself.
const config = loadConfigOrExit();
if (config.DATABASE_URL === undefined) {
  process.stderr.write('DATABASE_URL is required to migrate\n');
  process.exit(78);
}
await runMigrations(config.DATABASE_URL);
// The API and worker sign in as the application role (db/appRole.ts) with this password.
if (config.DATABASE_APP_PASSWORD !== undefined) {
  await enableAppRoleLogin(config.DATABASE_URL, config.DATABASE_APP_PASSWORD);
}
process.stdout.write('migrations applied\n');
