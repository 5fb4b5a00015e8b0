import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../api/auth/passwords';
import { councilBundleFromCsv } from '../api/councilBundleCsv';
import { asCouncilBundle, councilBundleSchema } from '../api/schemas/councilBundle';
import { connectDatabase } from '../db/client';
import { insertApiKey } from '../db/identity';
import { BundleRefusedError, onboardCouncil } from '../db/onboarding';
import { providerCouncilId } from '../domain/council';
import { type CouncilBundle, demoCouncilBundle } from '../domain/councilBundle';
import { csvFilesFromBundle } from '../domain/councilBundleCsv';
import { demoCouncil } from '../domain/demoCouncil';
import { loadConfigOrExit } from '../platform/config';
import { payloadCodecFromConfig } from '../platform/payloadCodec';

/**
 * Councils from the command line, as the tables' owner (DATABASE_URL):
 *   npm run council -- example <id> "<name>"   prints a bundle to start from (the demo council)
 *   npm run council -- example-csv <dir> [id] ["<name>"]   writes the same as a CSV set
 *   npm run council -- onboard <bundle.json or dir> onboards it; prints the administrator's password
 *   npm run council -- provider-key             an API key for the service provider's operators
 * The API does the same for provider operators (POST /v1/provider/councils); docs/tenancy.md.
 */
const [command, ...args] = process.argv.slice(2);
const config = loadConfigOrExit();

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(64);
}

/** A bundle read and checked, and how to name onboarding's problems in the files read. */
type ReadBundle = { bundle: CouncilBundle; placeOf: (field: string) => string };

/** A directory's CSV set: its `.csv` files and gl-layout.json; other files are not ours. */
function readCsvSet(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(directory))
    if (!name.startsWith('.') && (name.endsWith('.csv') || name.endsWith('.json')))
      files[name] = readFileSync(join(directory, name), 'utf8');
  return files;
}

function readBundle(path: string): ReadBundle {
  if (statSync(path).isDirectory()) {
    const outcome = councilBundleFromCsv(readCsvSet(path));
    if (!outcome.ok) fail(outcome.problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
    return outcome;
  }
  const parsed = councilBundleSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return { bundle: asCouncilBundle(parsed.data), placeOf: (field) => field };
}

/** Writes the demo council's CSV set, refusing to overwrite a set someone may have edited. */
function writeExampleCsv(directory: string, id: string, name: string): void {
  const files = csvFilesFromBundle(demoCouncilBundle({ id, name }, demoCouncil));
  const taken = Object.keys(files).filter((file) => existsSync(join(directory, file)));
  if (taken.length > 0) fail(`${directory} already holds ${taken.join(', ')}; choose another`);
  mkdirSync(directory, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
  process.stdout.write(`wrote ${Object.keys(files).join(', ')} to ${directory}\n`);
}

async function onboard(database: ReturnType<typeof connectDatabase>, path: string) {
  const { bundle, placeOf } = readBundle(path);
  const password = randomBytes(18).toString('base64url');
  try {
    await onboardCouncil(database.db, bundle, {
      meta: { actor: 'system:command' },
      administratorPasswordHash: await hashPassword(password),
      codec: payloadCodecFromConfig(config),
    });
  } catch (error) {
    if (error instanceof BundleRefusedError)
      fail(error.problems.map((p) => `${placeOf(p.field)}: ${p.message}`).join('\n'));
    throw error;
  }
  process.stdout.write(
    `onboarded ${bundle.council.id}: sign in at /sign-in?council=${bundle.council.id} as ${bundle.administrator.username} with ${password}\n`,
  );
}

async function main(): Promise<void> {
  if (command === 'example') {
    const [id = 'northshire', name = 'Northshire Council'] = args;
    process.stdout.write(
      `${JSON.stringify(demoCouncilBundle({ id, name }, demoCouncil), null, 2)}\n`,
    );
    return;
  }
  if (command === 'example-csv') {
    const [directory, id = 'northshire', name = 'Northshire Council'] = args;
    if (directory === undefined) fail('usage: npm run council -- example-csv <dir> [id] [name]');
    writeExampleCsv(directory, id, name);
    return;
  }
  if (config.DATABASE_URL === undefined) fail('DATABASE_URL (the owner) is required');
  const database = connectDatabase(config.DATABASE_URL, { poolMax: 1 });
  try {
    if (command === 'onboard') {
      const [path] = args;
      if (path === undefined) fail('usage: npm run council -- onboard <bundle.json or dir>');
      await onboard(database, path);
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
    fail('usage: npm run council -- example|example-csv|onboard|provider-key …');
  } finally {
    await database.close();
  }
}

await main();
