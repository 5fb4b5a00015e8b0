import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Sql } from './client';

/**
 * The API and the worker connect as `ims_app` (created by migration 0011): not the tables'
 * owner, not a superuser, no BYPASSRLS, so row-level security applies to every query they make.
 * The owner's URL (DATABASE_URL) is for migrations and seeds only.
 */
export const appRoleName = 'ims_app';

/** The owner's URL with the application role's name and password in place of the owner's. */
export function appDatabaseUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = appRoleName;
  url.password = password;
  return url.toString();
}

/**
 * Lets the application role sign in with this password (run by whoever migrates, as the owner).
 * Idempotent; the password is sent as a literal because ALTER ROLE takes no parameters.
 */
export async function enableAppRoleLogin(ownerUrl: string, password: string): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const literal = `'${password.replaceAll("'", "''")}'`;
    await sql.unsafe(`alter role ${appRoleName} login password ${literal}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Refuses to run as a role that row-level security does not bind: a superuser, a BYPASSRLS role
 * or the owner of the tables. Misconfiguration then stops the process at start instead of
 * silently letting every council see every other's rows.
 */
export async function assertBoundByRowSecurity(sql: Sql): Promise<void> {
  const [role] = await sql<{ name: string; superuser: boolean; bypass: boolean; owns: boolean }[]>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypass,
           exists (select 1 from pg_tables t where t.schemaname = 'public'
                    and t.tableowner = r.rolname) as owns
      from pg_roles r where r.rolname = current_user`;
  if (role === undefined) throw new Error('cannot read the database role this process runs as');
  if (role.superuser || role.bypass || role.owns) {
    throw new Error(
      `The database role "${role.name}" is not bound by row-level security (superuser, BYPASSRLS or ` +
        `table owner): the API and worker must connect as ${appRoleName} (DATABASE_APP_PASSWORD or DATABASE_APP_URL)`,
    );
  }
}

/** Where the API and worker connect: DATABASE_APP_URL, or DATABASE_URL's host as ims_app. */
export function appDatabaseUrlFromConfig(config: {
  DATABASE_URL?: string;
  DATABASE_APP_URL?: string;
  DATABASE_APP_PASSWORD?: string;
}): string {
  if (config.DATABASE_APP_URL !== undefined) return config.DATABASE_APP_URL;
  if (config.DATABASE_URL === undefined || config.DATABASE_APP_PASSWORD === undefined) {
    throw new Error(
      'The API and worker connect as the application role: set DATABASE_APP_URL, or DATABASE_URL and DATABASE_APP_PASSWORD (npm start sets them)',
    );
  }
  return appDatabaseUrl(config.DATABASE_URL, config.DATABASE_APP_PASSWORD);
}

const developmentPasswordFile = 'db-app-password';

/**
 * The application role's password on a development machine: DATABASE_APP_PASSWORD, or one made
 * once and kept (0600) in the data directory, so `npm start` needs no setting.
 */
export function developmentAppPassword(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const file = join(dataDir, developmentPasswordFile);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('hex');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
