import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { enableAppRoleLogin } from '../../db/appRole';
import { runMigrations } from '../../db/migrate';
import { generatePayloadKeyEntry } from '../../platform/payloadCodec';
import { freePort } from '../../platform/ports';
import { dropDatabase, ensureDatabase } from '../../platform/postgres';
import { spawnEmbeddedPostgres } from '../../platform/postgresProcess';
import { registerSearchAttributes } from '../../platform/registerSearchAttributes';
import { findTemporalCli } from '../../platform/temporalCli';
import { startTemporalDevServer } from '../../platform/temporalServer';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { temporalUiPath } from '../../web/temporalUi';
import { databaseUrlFor, type StackInfo, templateDatabase } from './stackInfo';

/**
 * Starts ONE real PostgreSQL and ONE real Temporal dev server (in memory) for the whole run,
 * migrates a template database once, and bundles the workflow code once. Test files clone the
 * template and use their own task queue, so they run in parallel without meeting.
 *
 * TEST_DATABASE_ADMIN_URL points the tests at an existing PostgreSQL (a role with CREATEDB)
 * instead of the embedded one. TEST_TEMPORAL_ADDRESS (host:port, namespace
 * TEST_TEMPORAL_NAMESPACE or `default`) points them at a running Temporal server instead of a
 * dev server: `npm run test:cluster` (scripts/test-cluster.ts) runs them on the real cluster.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'ims-test-'));
  // As root, PostgreSQL runs as a separate `postgres` user that must be able to enter this folder.
  chmodSync(scratch, 0o755);
  const external = process.env.TEST_DATABASE_ADMIN_URL;
  const postgres =
    external === undefined
      ? await spawnEmbeddedPostgres({
          dataDir: join(scratch, 'pg'),
          port: await freePort(),
          database: 'postgres',
          ephemeral: true,
          logFile: join(scratch, 'postgres.log'),
        })
      : null;
  const adminUrl = postgres?.adminUrl ?? (external as string);

  await dropDatabase(adminUrl, templateDatabase);
  await ensureDatabase(adminUrl, templateDatabase);
  await runMigrations(databaseUrlFor(adminUrl, templateDatabase));
  const appRolePassword = randomBytes(18).toString('hex');
  await enableAppRoleLogin(adminUrl, appRolePassword);

  const externalTemporal = process.env.TEST_TEMPORAL_ADDRESS;
  const namespace = process.env.TEST_TEMPORAL_NAMESPACE ?? 'default';
  const [temporal, workflowBundlePath] = await Promise.all([
    externalTemporal !== undefined
      ? registerSearchAttributes(externalTemporal, namespace).then(() => null)
      : startDevServer(scratch),
    bundleWorkflows(join(scratch, 'workflow-bundle.js')),
  ]);

  const info: StackInfo = {
    adminUrl,
    temporalAddress: temporal?.address ?? (externalTemporal as string),
    namespace,
    // Without the dev server there is no Web UI; only temporalUi.test.ts needs one.
    temporalUiUrl: temporal?.uiUrl ?? 'http://127.0.0.1:9/no-temporal-ui',
    workflowBundlePath,
    // Fresh keys per run; a second, older key proves decode picks the key a payload names.
    payloadEncryptionKeys: [
      generatePayloadKeyEntry('test-current'),
      generatePayloadKeyEntry('test-previous'),
    ].join(','),
    appRolePassword,
  };
  project.provide('stack', info);

  return async () => {
    await temporal?.stop();
    if (postgres !== null) await postgres.stop();
    else await dropDatabase(adminUrl, templateDatabase);
    rmSync(scratch, { recursive: true, force: true });
  };
}

function startDevServer(scratch: string) {
  return Promise.all([freePort(), freePort()]).then(([port, uiPort]) =>
    startTemporalDevServer({
      cliPath: findTemporalCli(),
      port,
      namespace: 'default',
      logFile: join(scratch, 'temporal.log'),
      // With the Web UI as npm start runs it, for the test of the UI served at /temporal.
      uiPort,
      uiPublicPath: temporalUiPath,
      uiCodecEndpoint: '/codec',
    }),
  );
}
