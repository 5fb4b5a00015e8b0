import { sql } from 'drizzle-orm';
import {
  type BundleProblem,
  type CouncilBundle,
  councilBundleProblems,
} from '../domain/councilBundle';
import { defaultGlLayout, type GlLayout, glLayoutProblems } from '../domain/glExport';
import { compileRules, type ImportRule } from '../domain/importRules';
import { type ImportProfile, parserFor } from '../domain/imports';
import { bankCsvImportProfiles } from '../domain/imports/bankCsvProfiles';
import { postOfficeProfile } from '../domain/imports/postOfficeProfile';
import { controlAccountNames } from '../domain/ledgerAccounts';
import { councilPermissions } from '../domain/permissions';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import type { Database } from './client';
import {
  fundGroupStore,
  fundStore,
  importRuleStore,
  methodOfPaymentStore,
  officeStore,
  referenceValidatorStore,
  vatCodeStore,
} from './configEntities';
import type { ConfigStore } from './configStore';
import { type AuditMeta, createAudited } from './configWrites';
import { createCouncilKey } from './councilKeys';
import type { Executor } from './executor';
import { createUser } from './identity';
import { insertImportProfile } from './importProfiles';
import { writeSetting } from './reconciliationSettings';
import { replaceReferenceRoutes } from './referenceRoutes';
import { ledgerAccounts } from './schema';

/** A bundle that cannot be onboarded; every problem names its place in the bundle. */
export class BundleRefusedError extends Error {
  constructor(readonly problems: BundleProblem[]) {
    super(
      `The council bundle is refused: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    );
  }
}

const standardImportProfiles: NonNullable<CouncilBundle['importProfiles']> = [
  {
    id: 'post-office',
    name: 'Post Office / PayPoint collection file',
    kind: 'fixedWidth',
    definition: postOfficeProfile as unknown as Record<string, unknown>,
    methodOfPaymentCode: 'PO',
    clearingAccountCode: 'CTRL:COLLECTION_CLEARING',
  },
  // The UK banks' statement CSV exports: lines for bank reconciliation, nothing posted.
  ...bankCsvImportProfiles,
];

/** What only running the domain's own compilers can tell: profiles, rules and the GL layout. */
function compiledProblems(bundle: CouncilBundle): BundleProblem[] {
  const problems: BundleProblem[] = [];
  (bundle.importProfiles ?? []).forEach((profile, index) => {
    if (profile.definition.kind !== profile.kind)
      problems.push({
        field: `importProfiles[${index}].definition.kind`,
        message: `must be ${profile.kind}`,
      });
    try {
      parserFor(profile.definition as unknown as ImportProfile);
    } catch (error) {
      problems.push({
        field: `importProfiles[${index}].definition`,
        message: String((error as Error).message),
      });
    }
  });
  bundle.importRules.forEach((rule, index) => {
    try {
      compileRules([{ ...rule, order: rule.position } as ImportRule]);
    } catch (error) {
      problems.push({ field: `importRules[${index}]`, message: String((error as Error).message) });
    }
  });
  if (bundle.glLayout !== undefined) {
    for (const message of glLayoutProblems(bundle.glLayout))
      problems.push({ field: 'glLayout', message });
  }
  return problems;
}

export function bundleProblems(bundle: CouncilBundle): BundleProblem[] {
  const problems = [...councilBundleProblems(bundle), ...compiledProblems(bundle)];
  const methods = new Set(bundle.methodsOfPayment.map((method) => method.code));
  if (bundle.importProfiles === undefined && !methods.has('PO'))
    problems.push({
      field: 'methodsOfPayment',
      message:
        'the standard Post Office import profile needs a method of payment PO (or list importProfiles)',
    });
  return problems;
}

async function createAll<Input, View>(
  tx: Executor,
  store: ConfigStore<Input, View>,
  inputs: readonly Input[],
  meta: AuditMeta,
) {
  for (const input of inputs) await createAudited(tx, store, input, meta);
}

export type OnboardingOptions = {
  /** Who onboards (the provider operator, or `system:command`), for every audit row. */
  meta: AuditMeta;
  /** The first administrator's password hash (argon2id; the caller hashes). */
  administratorPasswordHash: string;
  /** Wraps the council's own payload key; absent where payloads are not encrypted. */
  codec?: AesGcmPayloadCodec;
};

/**
 * Onboards a council: checks the whole bundle first (nothing is written while any problem
 * remains), then creates the council, its configuration, its first administrator and its
 * payload key in one transaction, so a failure part-way leaves no trace. The transaction names
 * the new council itself (set_config, local), so row-level security applies to every write.
 */
export async function onboardCouncil(
  db: Database,
  bundle: CouncilBundle,
  options: OnboardingOptions,
): Promise<void> {
  const problems = bundleProblems(bundle);
  if (problems.length > 0) throw new BundleRefusedError(problems);
  const { council } = bundle;
  const meta = { ...options.meta, reason: options.meta.reason ?? `Onboarding ${council.id}` };
  await db.transaction(async (tx) => {
    const [exists] = await tx.execute<{ found: boolean }>(
      sql`select exists (select 1 from ims_list_councils() where id = ${council.id}) as found`,
    );
    if (exists?.found)
      throw new BundleRefusedError([
        { field: 'council.id', message: `council ${council.id} exists already` },
      ]);
    await tx.execute(
      sql`select ims_create_council(${council.id}, ${council.name}, ${council.requestsPerMinuteMax ?? 6000}::integer, ${council.importBytesMax ?? null}::integer)`,
    );
    await tx.execute(sql`select set_config('ims.council_id', ${council.id}, true)`);
    // The control accounts every ledger has (the default council got them from migration 0001).
    await tx.insert(ledgerAccounts).values(
      Object.entries(controlAccountNames).map(([code, name]) => ({
        code,
        kind: 'control' as const,
        name,
      })),
    );
    await createAll(tx, vatCodeStore, bundle.vatCodes, meta);
    await createAll(tx, referenceValidatorStore, bundle.referenceValidators ?? [], meta);
    await createAll(tx, fundStore, bundle.funds, meta);
    await createAll(tx, fundGroupStore, bundle.fundGroups, meta);
    await createAll(tx, methodOfPaymentStore, bundle.methodsOfPayment, meta);
    await createAll(tx, officeStore, bundle.offices, meta);
    await replaceReferenceRoutes(tx, bundle.referenceRoutes, meta);
    await createAll(tx, importRuleStore, bundle.importRules, meta);
    for (const profile of bundle.importProfiles ?? standardImportProfiles)
      await insertImportProfile(tx, profile);
    if (bundle.glLayout !== undefined)
      await writeSetting<GlLayout>(tx, 'gl_layout', bundle.glLayout, defaultGlLayout, meta);
    await createUser(
      tx,
      {
        username: bundle.administrator.username,
        displayName: bundle.administrator.displayName,
        email: bundle.administrator.email ?? null,
        passwordHash: options.administratorPasswordHash,
        permissions: [...councilPermissions],
        fundGroups: null,
      },
      meta,
    );
    await createCouncilKey(tx, council.id, options.codec);
  });
}
