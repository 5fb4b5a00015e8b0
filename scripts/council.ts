import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashPassword } from '../api/auth/passwords';
import { asCouncilBundle, councilBundleSchema } from '../api/schemas/councilBundle';
import { connectDatabase } from '../db/client';
import { insertApiKey } from '../db/identity';
import { BundleRefusedError, onboardCouncil } from '../db/onboarding';
import { providerCouncilId } from '../domain/council';
import { demoCouncilBundle } from '../domain/councilBundle';
import { demoCouncil } from '../domain/demoCouncil';
import { loadConfigOrExit } from '../platform/config';
import { payloadCodecFromConfig } from '../platform/payloadCodec';

/**
 * Councils from the command line, as the tables' owner (DATABASE_URL):
 *   npm run council -- example <id> "<name>"   prints a bundle to start from (the demo council)
 *   npm run council -- onboard <bundle.json>    onboards it; prints the administrator's password
 *   npm run council -- provider-key             an API key for the service provider's operators
 * The API does the same for provider operators (POST /v1/provider/councils); docs/tenancy.md.
 */
const [command, ...args] = process.argv.slice(2);
const config = loadConfigOrExit();

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(64);
}

async function main(): Promise<void> {
  if (command === 'example') {
    const [id = 'northshire', name = 'Northshire Council'] = args;
    process.stdout.write(
      `${JSON.stringify(demoCouncilBundle({ id, name }, demoCouncil), null, 2)}\n`,
    );
    return;
  }
  if (config.DATABASE_URL === undefined) fail('DATABASE_URL (the owner) is required');
  const database = connectDatabase(config.DATABASE_URL, { poolMax: 1 });
  try {
    if (command === 'onboard') {
      const [file] = args;
      if (file === undefined) fail('usage: npm run council -- onboard <bundle.json>');
      const parsed = councilBundleSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success)
        fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
      const bundle = asCouncilBundle(parsed.data);
      const password = randomBytes(18).toString('base64url');
      await onboardCouncil(database.db, bundle, {
        meta: { actor: 'system:command' },
        administratorPasswordHash: await hashPassword(password),
        codec: payloadCodecFromConfig(config),
      });
      process.stdout.write(
        `onboarded ${bundle.council.id}: sign in at /sign-in?council=${bundle.council.id} as ${bundle.administrator.username} with ${password}\n`,
      );
      return;
    }
    if (command === 'provider-key') {
      const provider = connectDatabase(config.DATABASE_URL, {
        poolMax: 1,
        councilId: providerCouncilId,
      });
      try {
        const { key } = await insertApiKey(
          provider.db,
          {
            principal: 'provider-operator',
            description: 'Service provider operations',
            permissions: ['provider', 'operations'],
            fundGroups: null,
          },
          'system:command',
        );
        process.stdout.write(`${key}\n`);
      } finally {
        await provider.close();
      }
      return;
    }
    fail('usage: npm run council -- example|onboard|provider-key …');
  } catch (error) {
    if (error instanceof BundleRefusedError)
      fail(error.problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
    throw error;
  } finally {
    await database.close();
  }
}

await main();
