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

/** A council's own keys, newest (current) first; none when the council has none (or is gone). */
export type CouncilKeySource = (councilId: string) => Promise<readonly PayloadKey[]>;

/** A council's data key as stored: wrapped by one of the deployment's keys. */
export type WrappedCouncilKey = { keyId: string; wrappedKey: string; wrappingKeyId: string };

type Keyring = { currentKeyId: string; keys: Map<string, KeyObject> };

/** How long a process keeps a council's unwrapped keys before reading them again. */
const councilKeysCacheMs = 60_000;

function secretKeyOf(keyId: string, key: KeyObject | Uint8Array): KeyObject {
  const secret = key instanceof Uint8Array ? createSecretKey(key) : key;
  if (secret.type !== 'secret' || secret.symmetricKeySize !== 32)
    throw new Error(`Payload encryption key "${keyId}" must be 32 bytes (AES-256)`);
  return secret;
}

function seal(key: KeyObject, plain: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export class AesGcmPayloadCodec implements PayloadCodec {
  readonly currentKeyId: string;
  // Private, and KeyObjects: neither logging nor inspecting the codec shows key material.
  readonly #keys = new Map<string, KeyObject>();
  #councilKeys: CouncilKeySource | undefined;
  readonly #councilKeyrings = new Map<string, { loadedAt: number; keyring: Promise<Keyring> }>();

  constructor(options: { keys: readonly PayloadKey[]; currentKeyId?: string }) {
    for (const { keyId, key } of options.keys) {
      if (this.#keys.has(keyId))
        throw new Error(`Payload encryption key "${keyId}" is listed twice`);
      this.#keys.set(keyId, secretKeyOf(keyId, key));
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

  /**
   * Councils other than the default one encrypt with keys of their own (db/councilKeys.ts), so
   * one council's histories can be made unreadable for good by deleting its keys.
   */
  useCouncilKeys(source: CouncilKeySource): void {
    this.#councilKeys = source;
    this.#councilKeyrings.clear();
  }

  /** Forgets a council's keys at once (its offboarding), rather than when the cache expires. */
  forgetCouncilKeys(councilId: string): void {
    this.#councilKeyrings.delete(councilId);
  }

  /** Wraps a new council data key with the deployment's current key, bound to its ids. */
  wrapCouncilKey(councilId: string, keyId: string, key: Uint8Array): WrappedCouncilKey {
    const wrapping = this.#keys.get(this.currentKeyId) as KeyObject;
    const sealed = seal(wrapping, key, utf8.encode(`${councilId}:${keyId}`));
    return { keyId, wrappedKey: sealed.toString('base64'), wrappingKeyId: this.currentKeyId };
  }

  unwrapCouncilKey(councilId: string, stored: WrappedCouncilKey): PayloadKey {
    const wrapping = this.#keys.get(stored.wrappingKeyId);
    if (wrapping === undefined)
      throw new Error(
        `Council "${councilId}" key "${stored.keyId}" was wrapped by "${stored.wrappingKeyId}", which is not among PAYLOAD_ENCRYPTION_KEYS`,
      );
    const data = Buffer.from(stored.wrappedKey, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', wrapping, data.subarray(0, ivBytes));
    decipher.setAAD(utf8.encode(`${councilId}:${stored.keyId}`));
    decipher.setAuthTag(data.subarray(data.byteLength - tagBytes));
    const key = Buffer.concat([
      decipher.update(data.subarray(ivBytes, data.byteLength - tagBytes)),
      decipher.final(),
    ]);
    return { keyId: stored.keyId, key: new Uint8Array(key) };
  }

  /**
   * Seals a small secret of the council's (a PSP key) with the council's current key, bound to
   * the council and `purpose`, so it can be opened only for the same council and purpose, and
   * not at all once the council's keys are deleted. `<key id>.<base64>`.
   */
  async sealSecret(councilId: string, purpose: string, secret: string): Promise<string> {
    const keyring = await this.#keyringOf(councilId);
    const key = keyring.keys.get(keyring.currentKeyId) as KeyObject;
    const sealed = seal(key, utf8.encode(secret), utf8.encode(`${councilId}:${purpose}`));
    return `${keyring.currentKeyId}.${sealed.toString('base64')}`;
  }

  async openSecret(councilId: string, purpose: string, sealed: string): Promise<string> {
    const dot = sealed.lastIndexOf('.');
    const keyId = sealed.slice(0, dot);
    const { key } = await this.#keyOf(councilId, keyId);
    if (dot < 0 || key === undefined)
      throw new Error(`Council "${councilId}" has no key "${keyId}" to open its ${purpose}`);
    const data = Buffer.from(sealed.slice(dot + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
    decipher.setAAD(utf8.encode(`${councilId}:${purpose}`));
    decipher.setAuthTag(data.subarray(data.byteLength - tagBytes));
    return fromUtf8.decode(
      Buffer.concat([
        decipher.update(data.subarray(ivBytes, data.byteLength - tagBytes)),
        decipher.final(),
      ]),
    );
  }

  /**
   * One key of a council's. A key id this process has not seen yet is a key another process
   * has just rotated in, so the council's keys are read again once before giving up.
   */
  async #keyOf(
    councilId: string,
    keyId: string,
  ): Promise<{ keyring: Keyring; key: KeyObject | undefined }> {
    let keyring = await this.#keyringOf(councilId);
    if (!keyring.keys.has(keyId) && councilId !== defaultCouncilId) {
      this.#councilKeyrings.delete(councilId);
      keyring = await this.#keyringOf(councilId);
    }
    return { keyring, key: keyring.keys.get(keyId) };
  }

  async #keyringOf(councilId: string): Promise<Keyring> {
    if (councilId === defaultCouncilId)
      return { currentKeyId: this.currentKeyId, keys: this.#keys };
    const cached = this.#councilKeyrings.get(councilId);
    if (cached !== undefined && Date.now() - cached.loadedAt < councilKeysCacheMs)
      return cached.keyring;
    const source = this.#councilKeys;
    if (source === undefined)
      throw new Error(`No keys are available for council "${councilId}" in this process`);
    const keyring = source(councilId).then((loaded) => {
      const first = loaded[0];
      if (first === undefined)
        throw new Error(
          `Council "${councilId}" has no payload keys (offboarded, or never onboarded)`,
        );
      return {
        currentKeyId: first.keyId,
        keys: new Map(loaded.map(({ keyId, key }) => [keyId, secretKeyOf(keyId, key)])),
      };
    });
    this.#councilKeyrings.set(councilId, { loadedAt: Date.now(), keyring });
    keyring.catch(() => this.#councilKeyrings.delete(councilId));
    return keyring;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const councilId = councilOfContext(context) ?? defaultCouncilId;
    const keyring = await this.#keyringOf(councilId);
    const key = keyring.keys.get(keyring.currentKeyId) as KeyObject;
    const council = utf8.encode(councilId);
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = seal(key, plain, council);
      return {
        metadata: {
          encoding: utf8.encode(encryptedEncoding),
          [keyIdMetadataKey]: utf8.encode(keyring.currentKeyId),
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
    const decoded: Payload[] = [];
    for (const payload of payloads) decoded.push(await this.#decodeOne(payload, expected));
    return decoded;
  }

  async #decodeOne(payload: Payload, expected: string | undefined): Promise<Payload> {
    const encoding = payload.metadata?.encoding;
    if (encoding === undefined || encoding === null) return payload;
    if (fromUtf8.decode(encoding) !== encryptedEncoding) return payload;
    const rawKeyId = payload.metadata?.[keyIdMetadataKey];
    if (rawKeyId === undefined || rawKeyId === null)
      throw new Error(`An encrypted workflow payload has no ${keyIdMetadataKey} metadata`);
    const keyId = fromUtf8.decode(rawKeyId);
    const rawCouncil = payload.metadata?.[councilMetadataKey];
    const council =
      rawCouncil === undefined || rawCouncil === null
        ? defaultCouncilId
        : fromUtf8.decode(rawCouncil);
    if (expected !== undefined && council !== expected)
      throw new PayloadOfOtherCouncilError(
        `A workflow payload of council "${council}" cannot be decrypted for council "${expected}"`,
      );
    const { keyring, key } = await this.#keyOf(council, keyId);
    if (key === undefined)
      throw new Error(
        `Cannot decrypt a workflow payload: its encryption key id "${keyId}" is not among ` +
          `${council === defaultCouncilId ? 'PAYLOAD_ENCRYPTION_KEYS' : `council "${council}"'s keys`} ` +
          `(known: ${[...keyring.keys.keys()].join(', ')})`,
      );
    const data = payload.data ?? new Uint8Array();
    if (data.byteLength < ivBytes + tagBytes)
      throw new Error(`Cannot decrypt a workflow payload (key "${keyId}"): it is too short`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
    // Payloads from before tenancy carry no council and were sealed without additional data.
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
