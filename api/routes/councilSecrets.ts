import { z } from 'zod';
import { recordAudit } from '../../db/audit';
import { createCouncilKey, encryptingCodecsOf, listCouncilKeys } from '../../db/councilKeys';
import {
  listPspCredentials,
  type PspCredentialKind,
  removePspCredential,
  setPspCredential,
} from '../../db/pspCredentials';
import { defaultCouncilId } from '../../domain/council';
import type { AesGcmPayloadCodec } from '../../platform/payloadCodec';
import { actorOf, auditMetaOf } from '../actor';
import { requireFunds } from '../configChecks';
import type { ApiContext } from '../context';
import { mapDatabaseErrors } from '../dbErrors';
import { ProblemError } from '../problem';
import { defineRoute } from '../route';
import { codeSchema, reasonSchema } from '../schemas/common';

/**
 * A council's own secrets, set by its administrators (docs/tenancy.md): its GOV.UK Pay API keys
 * and webhook secret, written once and never shown again, and its payload encryption key, which
 * it may rotate on its own.
 */

const tags = ['councils'];

const kinds = { apiKey: 'api_key', webhookSecret: 'webhook_secret' } as const;
const kindSchema = z
  .enum(['apiKey', 'webhookSecret'])
  .describe('apiKey: a GOV.UK Pay API key; webhookSecret: the Pay webhook signing secret');
const apiKindOf = (kind: PspCredentialKind): 'apiKey' | 'webhookSecret' =>
  kind === 'api_key' ? 'apiKey' : 'webhookSecret';

const credentialView = z
  .object({
    kind: kindSchema,
    fundCode: z.string().nullable().describe("Null: the council's default key, or its secret"),
    hint: z.string().describe('The last four characters, to tell which one is set'),
    updatedBy: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PspCredential' });

const credentialTarget = {
  kind: kindSchema,
  fundCode: codeSchema
    .optional()
    .describe("An API key for this fund's GOV.UK Pay service; absent: the council's default"),
  reason: reasonSchema,
};

const keyView = z
  .object({
    keyId: z.string(),
    wrappingKeyId: z.string().describe('The PAYLOAD_ENCRYPTION_KEYS entry that wraps it'),
    createdAt: z.string(),
    current: z.boolean().describe('New workflow payloads are sealed with this key'),
  })
  .meta({ id: 'CouncilPayloadKey' });

function refuseFundForSecret(kind: string, fundCode: string | undefined) {
  if (kind === 'webhookSecret' && fundCode !== undefined)
    throw new ProblemError('validation_failed', 'A webhook secret is for the whole council', [
      { field: 'body.fundCode', message: 'must be absent for a webhookSecret' },
    ]);
}

export function councilSecretRoutes(ctx: ApiContext) {
  const codec = (): AesGcmPayloadCodec => {
    const found = encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];
    if (found === undefined)
      throw new ProblemError(
        'conflict',
        'This deployment has no PAYLOAD_ENCRYPTION_KEYS, so it cannot keep secrets sealed',
      );
    return found;
  };
  const councilOf = (input: Parameters<typeof actorOf>) => String(actorOf(...input).councilId);

  return [
    defineRoute({
      method: 'get',
      path: '/v1/council/psp-credentials',
      operationId: 'listPspCredentials',
      access: { permission: 'configure' },
      summary: "The council's GOV.UK Pay keys and webhook secret: which are set, never the values",
      tags,
      successStatus: 200,
      success: {
        description: 'What is set',
        schema: z.object({ items: z.array(credentialView) }),
      },
      handler: async () => ({
        items: (await listPspCredentials(ctx.db)).map((item) => ({
          ...item,
          kind: apiKindOf(item.kind),
        })),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/council/psp-credentials',
      operationId: 'setPspCredential',
      access: { permission: 'configure' },
      summary: 'Set or replace a GOV.UK Pay API key (per fund or default) or the webhook secret',
      tags,
      body: z
        .object({
          ...credentialTarget,
          secret: z.string().trim().min(8).max(500).describe('Shown never again'),
        })
        .strict(),
      successStatus: 200,
      success: { description: 'What is now set', schema: credentialView },
      handler: async ({ body, req, res }) => {
        refuseFundForSecret(body.kind, body.fundCode);
        const sealer = codec();
        const councilId = councilOf([req, res]);
        const view = await mapDatabaseErrors(() =>
          ctx.db.transaction(async (tx) => {
            if (body.fundCode !== undefined)
              await requireFunds(tx, [body.fundCode], () => 'body.fundCode');
            return setPspCredential(
              tx,
              sealer,
              councilId,
              { kind: kinds[body.kind], fundCode: body.fundCode ?? null, secret: body.secret },
              auditMetaOf({ req, res }, body.reason),
            );
          }),
        );
        return { ...view, kind: body.kind };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/council/psp-credentials/remove',
      operationId: 'removePspCredential',
      access: { permission: 'configure' },
      summary: 'Remove a GOV.UK Pay API key or the webhook secret',
      tags,
      body: z.object(credentialTarget).strict(),
      successStatus: 200,
      success: { description: 'Removed', schema: z.object({ removed: z.literal(true) }) },
      errors: { 404: 'Nothing of that kind is set' },
      handler: async ({ body, req, res }) => {
        refuseFundForSecret(body.kind, body.fundCode);
        const removed = await ctx.db.transaction((tx) =>
          removePspCredential(
            tx,
            kinds[body.kind],
            body.fundCode ?? null,
            auditMetaOf({ req, res }, body.reason),
          ),
        );
        if (!removed) throw new ProblemError('not_found', 'Nothing of that kind is set');
        return { removed: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/council/payload-keys',
      operationId: 'listCouncilPayloadKeys',
      access: { permission: 'configure' },
      summary: "The council's own payload encryption keys, newest first (ids, never material)",
      tags,
      successStatus: 200,
      success: { description: 'The keys', schema: z.object({ items: z.array(keyView) }) },
      handler: async () => ({ items: await listCouncilKeys(ctx.db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/council/payload-keys',
      operationId: 'rotateCouncilPayloadKey',
      access: { permission: 'configure' },
      summary: 'Rotate the council’s payload key: new payloads are sealed with a new key',
      tags,
      body: z.object({ reason: reasonSchema }).strict(),
      successStatus: 201,
      success: { description: 'The new current key', schema: keyView },
      errors: { 409: 'The default council, or a deployment without encryption keys' },
      handler: async ({ body, req, res }) => {
        const councilId = councilOf([req, res]);
        if (councilId === defaultCouncilId)
          throw new ProblemError(
            'conflict',
            'The default council’s payloads are sealed with PAYLOAD_ENCRYPTION_KEYS: rotate those (docs/security.md)',
          );
        const sealer = codec();
        const keyId = await ctx.db.transaction(async (tx) => {
          const created = await createCouncilKey(tx, councilId, sealer);
          await recordAudit(tx, {
            ...auditMetaOf({ req, res }, body.reason),
            action: 'council_payload_key.rotate',
            entityType: 'council_payload_key',
            entityId: String(created),
          });
          return created;
        });
        // This process seals with the new key at once; the others once their cache expires.
        sealer.forgetCouncilKeys(councilId);
        const keys = await listCouncilKeys(ctx.db);
        const created = keys.find((key) => key.keyId === keyId);
        if (created === undefined) throw new Error(`rotated key ${keyId} vanished`);
        return created;
      },
    }),
  ];
}
