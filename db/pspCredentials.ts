import { and, asc, eq, inArray } from 'drizzle-orm';
import { defaultCouncilId } from '../domain/council';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import { PspError, type PspKeySource } from '../psp';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { CouncilDatabases } from './councils';
import type { Executor } from './executor';
import { pspCredentials } from './schema';

/**
 * A council's own GOV.UK Pay API keys and webhook secret (docs/tenancy.md, "PSP accounts"):
 * written sealed with the council's payload key, listed by their last four characters only,
 * and opened just where they are used: the PSP adapter and the webhook signature check.
 */
export type PspCredentialKind = 'api_key' | 'webhook_secret';

export type PspCredentialView = {
  kind: PspCredentialKind;
  /** Null: the council's default API key, or its webhook secret. */
  fundCode: string | null;
  hint: string;
  updatedBy: string;
  updatedAt: string;
};

/** The additional data a secret is sealed with: opening it as another kind or fund fails. */
const purposeOf = (kind: PspCredentialKind, fundCode: string) => `psp:${kind}:${fundCode}`;

const hintOf = (secret: string) => `…${secret.slice(-4)}`;

function viewOf(row: typeof pspCredentials.$inferSelect): PspCredentialView {
  return {
    kind: row.kind as PspCredentialKind,
    fundCode: row.fundCode === '' ? null : row.fundCode,
    hint: row.hint,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const entityIdOf = (kind: PspCredentialKind, fundCode: string) =>
  fundCode === '' ? kind : `${kind}:${fundCode}`;

/** Sets (or replaces) one credential, with its audit row; the secret itself is never logged. */
export async function setPspCredential(
  tx: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
  input: { kind: PspCredentialKind; fundCode: string | null; secret: string },
  meta: AuditMeta,
): Promise<PspCredentialView> {
  const fundCode = input.fundCode ?? '';
  const sealedSecret = await codec.sealSecret(
    councilId,
    purposeOf(input.kind, fundCode),
    input.secret,
  );
  const values = {
    kind: input.kind,
    fundCode,
    sealedSecret,
    hint: hintOf(input.secret),
    updatedBy: meta.actor,
    updatedAt: new Date(),
  };
  const [before] = await tx
    .select()
    .from(pspCredentials)
    .where(and(eq(pspCredentials.kind, input.kind), eq(pspCredentials.fundCode, fundCode)))
    .for('update');
  const [row] = await tx
    .insert(pspCredentials)
    .values(values)
    .onConflictDoUpdate({
      target: [pspCredentials.councilId, pspCredentials.kind, pspCredentials.fundCode],
      set: values,
    })
    .returning();
  const view = viewOf(row as typeof pspCredentials.$inferSelect);
  await recordAudit(tx, {
    ...meta,
    action: before === undefined ? 'psp_credential.create' : 'psp_credential.replace',
    entityType: 'psp_credential',
    entityId: entityIdOf(input.kind, fundCode),
    ...(before === undefined ? {} : { before: viewOf(before) }),
    after: view,
  });
  return view;
}

/** Removes one credential; false when there was none. */
export async function removePspCredential(
  tx: Executor,
  kind: PspCredentialKind,
  fundCode: string | null,
  meta: AuditMeta,
): Promise<boolean> {
  const code = fundCode ?? '';
  const [removed] = await tx
    .delete(pspCredentials)
    .where(and(eq(pspCredentials.kind, kind), eq(pspCredentials.fundCode, code)))
    .returning();
  if (removed === undefined) return false;
  await recordAudit(tx, {
    ...meta,
    action: 'psp_credential.remove',
    entityType: 'psp_credential',
    entityId: entityIdOf(kind, code),
    before: viewOf(removed),
  });
  return true;
}

export async function listPspCredentials(db: Executor): Promise<PspCredentialView[]> {
  const rows = await db
    .select()
    .from(pspCredentials)
    .orderBy(asc(pspCredentials.kind), asc(pspCredentials.fundCode));
  return rows.map(viewOf);
}

/** The fund's key, else the council's default key, opened; null when the council has neither. */
export async function councilApiKey(
  db: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
  fundCode: string,
): Promise<string | null> {
  const rows = await db
    .select({ fundCode: pspCredentials.fundCode, sealedSecret: pspCredentials.sealedSecret })
    .from(pspCredentials)
    .where(
      and(eq(pspCredentials.kind, 'api_key'), inArray(pspCredentials.fundCode, [fundCode, ''])),
    );
  const chosen = rows.find((row) => row.fundCode === fundCode) ?? rows[0];
  if (chosen === undefined) return null;
  return codec.openSecret(councilId, purposeOf('api_key', chosen.fundCode), chosen.sealedSecret);
}

export async function councilWebhookSecret(
  db: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ sealedSecret: pspCredentials.sealedSecret })
    .from(pspCredentials)
    .where(and(eq(pspCredentials.kind, 'webhook_secret'), eq(pspCredentials.fundCode, '')));
  if (row === undefined) return null;
  return codec.openSecret(councilId, purposeOf('webhook_secret', ''), row.sealedSecret);
}

/**
 * Which councils the deployment's own keys (GOVUK_PAY_API_KEY…, GOVUK_PAY_WEBHOOK_SECRET) may
 * serve when a council has none of its own: every council against the sandbox, which takes any
 * key, but only the default council against the real GOV.UK Pay, so that no council's payments
 * can land in another council's Pay account.
 */
export type DeploymentPspKeysServe = 'every-council' | 'default-council';

export function deploymentKeysServe(serve: DeploymentPspKeysServe, councilId: string): boolean {
  return serve === 'every-council' || councilId === defaultCouncilId;
}

/** The worker's key lookup: read in the council's own scope, as every activity's queries are. */
export function councilPspKeySource(options: {
  databases: Pick<CouncilDatabases, 'forCouncil'>;
  codec: AesGcmPayloadCodec | undefined;
  currentCouncil: () => string;
  serve: DeploymentPspKeysServe;
}): PspKeySource {
  return async (fundCode) => {
    const councilId = options.currentCouncil();
    const stored =
      options.codec === undefined
        ? null
        : await councilApiKey(
            options.databases.forCouncil(councilId).db,
            options.codec,
            councilId,
            fundCode,
          );
    if (stored !== null) return stored;
    if (deploymentKeysServe(options.serve, councilId)) return undefined;
    throw new PspError(
      'unauthorised',
      `Council ${councilId} has no GOV.UK Pay API key for fund ${fundCode}: set one with PUT /v1/council/psp-credentials`,
    );
  };
}
