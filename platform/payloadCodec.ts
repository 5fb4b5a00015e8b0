import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DataConverter,
  Payload,
  PayloadCodec,
  SerializationContext,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { councilOfWorkflowId, defaultCouncilId } from '../domain/council';
import { type Config, ConfigError, configSchema } from './config';
import { currentCouncil } from './councilScope';

// @temporalio/proto is CommonJS; its namespace object arrives as the default export under ESM.
const { temporal } = proto;

/**
 * Encrypts every workflow payload (inputs, results, signals, queries, updates, activity inputs
 * and results, memos, failure details) with AES-256-GCM before it leaves the process, so
 * Temporal's database, its Web UI and anyone who can read its history see no personal data.
 *
 * An encrypted payload carries metadata `encoding: binary/encrypted` and
 * `encryption-key-id: <keyId>`; its data is a 12-byte random IV, the ciphertext of the
 * serialized original Payload, and the 16-byte GCM tag. Encoding uses the current key; decoding
 * uses the key the payload names, so a rotated-out key still opens old histories while it stays
 * listed. Payloads without the encrypted encoding (histories from before encryption) pass
 * through decode unchanged. Search attributes are not payloads the codec sees: they must never
 * hold personal data (workflows/searchAttributes.ts).
 *
 * Codecs run outside the workflow sandbox, in the client and the worker: the bundle is unchanged.
 */
export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadataKey = 'encryption-key-id';
/**
 * The council whose workflow the payload belongs to, authenticated as the cipher's additional
 * data: changing it makes the payload undecryptable. Absent on payloads from before tenancy,
 * which are the default council's.
 */
export const councilMetadataKey = 'ims-council';

/** Whose payload this is: the workflow's council, else the council of the work in scope. */
function councilOfContext(context: SerializationContext | undefined): string | undefined {
  const workflowId = context?.workflowId;
  if (workflowId !== undefined) return councilOfWorkflowId(workflowId);
  return currentCouncil();
}

export class PayloadOfOtherCouncilError extends Error {}

const ivBytes = 12;
const tagBytes = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export type PayloadKey = { keyId: string; key: KeyObject | Uint8Array };

export class AesGcmPayloadCodec implements PayloadCodec {
  readonly currentKeyId: string;
  // Private, and KeyObjects: neither logging nor inspecting the codec shows key material.
  readonly #keys = new Map<string, KeyObject>();

  constructor(options: { keys: readonly PayloadKey[]; currentKeyId?: string }) {
    for (const { keyId, key } of options.keys) {
      if (this.#keys.has(keyId))
        throw new Error(`Payload encryption key "${keyId}" is listed twice`);
      const secret = key instanceof Uint8Array ? createSecretKey(key) : key;
      if (secret.type !== 'secret' || secret.symmetricKeySize !== 32)
        throw new Error(`Payload encryption key "${keyId}" must be 32 bytes (AES-256)`);
      this.#keys.set(keyId, secret);
    }
    const current = options.currentKeyId ?? options.keys[0]?.keyId;
    if (current === undefined) throw new Error('A payload codec needs at least one key');
    if (!this.#keys.has(current))
      throw new Error(`The current payload encryption key "${current}" is not among the keys`);
    this.currentKeyId = current;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const key = this.#keys.get(this.currentKeyId) as KeyObject;
    const council = utf8.encode(councilOfContext(context) ?? defaultCouncilId);
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(council);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: utf8.encode(encryptedEncoding),
          [keyIdMetadataKey]: utf8.encode(this.currentKeyId),
          [councilMetadataKey]: council,
        },
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      };
    });
  }

  /**
   * Refuses a payload of another council than the workflow's (or, outside any workflow, than the
   * council in scope: the codec endpoint the Temporal UI calls runs in the caller's council).
   */
  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const expected = councilOfContext(context);
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (encoding === undefined || encoding === null) return payload;
      if (fromUtf8.decode(encoding) !== encryptedEncoding) return payload;
      const rawKeyId = payload.metadata?.[keyIdMetadataKey];
      if (rawKeyId === undefined || rawKeyId === null)
        throw new Error(`An encrypted workflow payload has no ${keyIdMetadataKey} metadata`);
      const keyId = fromUtf8.decode(rawKeyId);
      const key = this.#keys.get(keyId);
      if (key === undefined)
        throw new Error(
          `Cannot decrypt a workflow payload: its encryption key id "${keyId}" is not among ` +
            `PAYLOAD_ENCRYPTION_KEYS (known: ${this.keyIds.join(', ')})`,
        );
      const data = payload.data ?? new Uint8Array();
      if (data.byteLength < ivBytes + tagBytes)
        throw new Error(`Cannot decrypt a workflow payload (key "${keyId}"): it is too short`);
      const rawCouncil = payload.metadata?.[councilMetadataKey];
      const council =
        rawCouncil === undefined || rawCouncil === null
          ? defaultCouncilId
          : fromUtf8.decode(rawCouncil);
      if (expected !== undefined && council !== expected)
        throw new PayloadOfOtherCouncilError(
          `A workflow payload of council "${council}" cannot be decrypted for council "${expected}"`,
        );
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
      if (rawCouncil !== undefined && rawCouncil !== null) decipher.setAAD(rawCouncil);
      decipher.setAuthTag(data.subarray(data.byteLength - tagBytes));
      let plain: Buffer;
      try {
        plain = Buffer.concat([
          decipher.update(data.subarray(ivBytes, data.byteLength - tagBytes)),
          decipher.final(),
        ]);
      } catch {
        throw new Error(
          `Cannot decrypt a workflow payload with key "${keyId}": it was altered, or the key is not the one it was encrypted with`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

const payloadSettingsSchema = configSchema.pick({
  NODE_ENV: true,
  PAYLOAD_ENCRYPTION_KEYS: true,
  PAYLOAD_ENCRYPTION_KEY_ID: true,
});

export type PayloadSettings = Pick<
  Config,
  'NODE_ENV' | 'PAYLOAD_ENCRYPTION_KEYS' | 'PAYLOAD_ENCRYPTION_KEY_ID'
>;

/**
 * The codec the configuration asks for. No keys: undefined (payloads stay plain) outside
 * production, and a ConfigError in production, which must never store personal data in clear.
 */
export function payloadCodecFromConfig(config: PayloadSettings): AesGcmPayloadCodec | undefined {
  const keys = config.PAYLOAD_ENCRYPTION_KEYS;
  if (keys === undefined || keys.length === 0) {
    if (config.PAYLOAD_ENCRYPTION_KEY_ID !== undefined)
      throw new ConfigError([
        'PAYLOAD_ENCRYPTION_KEY_ID: is set but PAYLOAD_ENCRYPTION_KEYS is not',
      ]);
    if (config.NODE_ENV === 'production')
      throw new ConfigError([
        'PAYLOAD_ENCRYPTION_KEYS: required in production, as keyId:base64key (32 random bytes); workflow payloads hold personal data (docs/operations.md, "Payload encryption")',
      ]);
    return undefined;
  }
  const current = config.PAYLOAD_ENCRYPTION_KEY_ID ?? keys[0]?.keyId;
  if (!keys.some((key) => key.keyId === current))
    throw new ConfigError([
      `PAYLOAD_ENCRYPTION_KEY_ID: "${current}" is not among the keys in PAYLOAD_ENCRYPTION_KEYS (${keys.map((key) => key.keyId).join(', ')})`,
    ]);
  return new AesGcmPayloadCodec({ keys, currentKeyId: current });
}

/** Reads only the payload encryption variables, so an unrelated bad variable cannot break it. */
export function payloadCodecFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): AesGcmPayloadCodec | undefined {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = payloadSettingsSchema.safeParse(cleaned);
  if (!result.success)
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  return payloadCodecFromConfig(result.data);
}

/**
 * The failure converter that moves failure messages and stack traces into an (encrypted)
 * payload: `failureConverter.cjs` beside this module, in the source tree and in dist/ alike.
 */
export const failureConverterPath = join(import.meta.dirname, 'failureConverter.cjs');

function asDataConverter(codec: PayloadCodec | undefined): DataConverter | undefined {
  return codec === undefined ? undefined : { payloadCodecs: [codec], failureConverterPath };
}

/** For every Temporal Client and Worker: `{ payloadCodecs: [codec] }`, or undefined. */
export function dataConverterFromConfig(config: PayloadSettings): DataConverter | undefined {
  return asDataConverter(payloadCodecFromConfig(config));
}

export function dataConverterFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): DataConverter | undefined {
  return asDataConverter(payloadCodecFromEnv(env));
}

/** A new `keyId:base64key` entry for PAYLOAD_ENCRYPTION_KEYS. */
export function generatePayloadKeyEntry(keyId: string): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

export const developmentKeyFileName = 'payload-keys';

/**
 * `npm start` on a machine with no PAYLOAD_ENCRYPTION_KEYS: the development keys kept in
 * DATA_DIR/payload-keys (mode 0600), generated on first use. They live beside the Temporal
 * state they protect, so a restart still decodes old histories and deleting DATA_DIR drops both.
 * One entry a line, the first is current; lines starting with # are comments.
 */
export function developmentPayloadKeys(dataDir: string): { keys: string; created: boolean } {
  const path = join(dataDir, developmentKeyFileName);
  let created = false;
  if (!existsSync(path)) {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const entry = generatePayloadKeyEntry(`dev-${day}-${randomBytes(3).toString('hex')}`);
    const text = [
      '# Development keys that encrypt Temporal workflow payloads under `npm start`.',
      '# keyId:base64key, one a line; the first encrypts, every one decrypts. Keep this file as',
      '# long as the Temporal state beside it (docs/operations.md, "Payload encryption").',
      entry,
      '',
    ].join('\n');
    try {
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (error) {
      // Another start won the race: use its file.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const keys = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join(',');
  return { keys, created };
}
