import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/client';
import { countUsers, createUser } from '../../db/identity';
import { councilPermissions } from '../../domain/permissions';
import type { Logger } from '../../platform/logger';
import { hashPassword } from './passwords';

export const firstAdminUsername = 'admin';
export const adminPasswordFile = 'admin-password';

/**
 * A database without any user gets one administrator, so the council can sign in and create
 * the real accounts. The password comes from IMS_ADMIN_PASSWORD; in development, when unset, a
 * random one is written to DATA_DIR/admin-password (mode 0600) and never logged. In production
 * without the variable nobody is created, and the log says how to fix that.
 */
export async function ensureFirstAdmin(options: {
  db: Database;
  logger: Logger;
  password: string | undefined;
  production: boolean;
  dataDir: string;
}): Promise<void> {
  if ((await countUsers(options.db)) > 0) return;
  let password = options.password;
  if (password === undefined) {
    if (options.production) {
      options.logger.warn(
        'no user exists and IMS_ADMIN_PASSWORD is unset: set it and restart to create the first administrator',
      );
      return;
    }
    password = randomBytes(18).toString('base64url');
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(join(options.dataDir, adminPasswordFile), `${password}\n`, { mode: 0o600 });
  }
  try {
    await options.db.transaction(async (tx) =>
      createUser(
        tx,
        {
          username: firstAdminUsername,
          displayName: 'Administrator',
          passwordHash: await hashPassword(password),
          permissions: [...councilPermissions],
          fundGroups: null,
        },
        { actor: 'system:bootstrap', reason: 'first administrator of an empty database' },
      ),
    );
  } catch (error) {
    // Another API process created it at the same moment: the unique username index says so.
    if ((await countUsers(options.db)) > 0) return;
    throw error;
  }
  options.logger.info(
    {
      username: firstAdminUsername,
      passwordFrom:
        options.password === undefined
          ? join(options.dataDir, adminPasswordFile)
          : 'IMS_ADMIN_PASSWORD',
    },
    'created the first administrator',
  );
}
