import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { desc } from 'drizzle-orm';
import { defaultCouncilId } from '../domain/council';
import { AesGcmPayloadCodec } from '../platform/payloadCodec';
import type { CouncilDatabases } from './councils';
import type { Executor } from './executor';
import { councilPayloadKeys } from './schema';

/**
 * Each council but the default one encrypts its workflow payloads with a data key of its own,
 * kept here wrapped by the deployment's keys (table council_payload_keys). Offboarding deletes
 * the rows; the council's histories are then unreadable for good.
 */

/** The codecs of a data converter that encrypt (there is at most one). */
export function encryptingCodecsOf(converter: DataConverter | undefined): AesGcmPayloadCodec[] {
  return (converter?.payloadCodecs ?? []).filter(
    (codec): codec is AesGcmPayloadCodec => codec instanceof AesGcmPayloadCodec,
  );
}

/** Makes a client's or worker's codec read council keys through the council's own pool. */
export function attachCouncilKeys(
  converter: DataConverter | undefined,
  databases: Pick<CouncilDatabases, 'forCouncil'>,
): void {
  for (const codec of encryptingCodecsOf(converter)) {
    codec.useCouncilKeys(async (councilId) => {
      const { sql } = databases.forCouncil(councilId);
      const rows = await sql<{ keyId: string; wrappedKey: string; wrappingKeyId: string }[]>`
        select key_id as "keyId", wrapped_key as "wrappedKey", wrapping_key_id as "wrappingKeyId"
          from council_payload_keys order by created_at desc, key_id desc`;
      return rows.map((row) => codec.unwrapCouncilKey(councilId, row));
    });
  }
}

/**
 * Gives a new council its first data key, in the caller's transaction (where the council is in
 * scope). Without an encrypting codec (development without keys) there is nothing to wrap with.
 */
export async function createCouncilKey(
  tx: Executor,
  councilId: string,
  codec: AesGcmPayloadCodec | undefined,
): Promise<string | null> {
  if (codec === undefined || councilId === defaultCouncilId) return null;
  const keyId = `${councilId}-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
  const wrapped = codec.wrapCouncilKey(councilId, keyId, randomBytes(32));
  await tx.insert(councilPayloadKeys).values(wrapped);
  return keyId;
}

export type CouncilKeyView = {
  keyId: string;
  wrappingKeyId: string;
  createdAt: string;
  /** The key new payloads are sealed with: the newest. */
  current: boolean;
};

/** The council's keys, newest first, by id and date only: never their material. */
export async function listCouncilKeys(db: Executor): Promise<CouncilKeyView[]> {
  const rows = await db
    .select({
      keyId: councilPayloadKeys.keyId,
      wrappingKeyId: councilPayloadKeys.wrappingKeyId,
      createdAt: councilPayloadKeys.createdAt,
    })
    .from(councilPayloadKeys)
    .orderBy(desc(councilPayloadKeys.createdAt), desc(councilPayloadKeys.keyId));
  return rows.map((row, index) => ({
    keyId: row.keyId,
    wrappingKeyId: row.wrappingKeyId,
    createdAt: row.createdAt.toISOString(),
    current: index === 0,
  }));
}
