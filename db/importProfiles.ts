import { asc, eq, sql } from 'drizzle-orm';
import { bankCsvImportProfiles } from '../domain/imports/bankCsvProfiles';
import { postOfficeProfile } from '../domain/imports/postOfficeProfile';
import type { Database } from './client';
import { executorOver } from './executor';
import { importProfiles } from './schema';
import type { Seed } from './seed';

export type ImportProfileRecord = typeof importProfiles.$inferSelect;

export async function listImportProfiles(
  db: Pick<Database, 'select'>,
): Promise<ImportProfileRecord[]> {
  return db.select().from(importProfiles).orderBy(asc(importProfiles.id));
}

export async function insertImportProfile(
  db: Pick<Database, 'insert'>,
  profile: typeof importProfiles.$inferInsert,
): Promise<boolean> {
  const inserted = await db
    .insert(importProfiles)
    .values(profile)
    .onConflictDoNothing()
    .returning({ id: importProfiles.id });
  return inserted.length > 0;
}

export async function setImportProfileDisabled(
  db: Pick<Database, 'update'>,
  id: string,
  disabled: boolean,
): Promise<boolean> {
  const updated = await db
    .update(importProfiles)
    .set({ disabled, updatedAt: sql`now()` })
    .where(eq(importProfiles.id, id))
    .returning({ id: importProfiles.id });
  return updated.length > 0;
}

/** The demo council's Post Office / PayPoint collection file, posted via collection clearing. */
export const demoImportProfilesSeed: Seed = {
  name: 'demo-import-profiles-v1',
  run: async (sql) => {
    await insertImportProfile(executorOver(sql), {
      id: 'post-office',
      name: 'Post Office / PayPoint collection file',
      kind: 'fixedWidth',
      definition: postOfficeProfile as unknown as Record<string, unknown>,
      methodOfPaymentCode: 'PO',
      clearingAccountCode: 'CTRL:COLLECTION_CLEARING',
    });
  },
};

/**
 * The UK banks' statement CSV profiles (NatWest Bankline, Lloyds Commercial Banking Online,
 * Barclays.Net, HSBCnet) for the demo council; new councils get them at onboarding. A seed of
 * its own, so databases seeded before these existed get them too.
 */
export const demoBankCsvProfilesSeed: Seed = {
  name: 'demo-bank-csv-profiles-v1',
  run: async (sql) => {
    for (const profile of bankCsvImportProfiles)
      await insertImportProfile(executorOver(sql), profile);
  },
};
