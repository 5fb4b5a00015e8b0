// Proves the payload codec encrypts what Temporal stores, opens it again with the key it names
// (so keys can rotate), refuses altered data, passes old plain payloads through, and never
// puts key material in an error message.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config';
import {
  AesGcmPayloadCodec,
  dataConverterFromEnv,
  developmentPayloadKeys,
  encryptedEncoding,
  generatePayloadKeyEntry,
  keyIdMetadataKey,
  payloadCodecFromEnv,
} from '../../platform/payloadCodec';

const personal = { payer: 'Ms Jane Payer, 1 High Street', amountPence: 12_345 };
const k1 = generatePayloadKeyEntry('k1');
const k2 = generatePayloadKeyEntry('k2');
const material = (entry: string) => entry.slice(entry.indexOf(':') + 1);
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? undefined);

function codecFor(env: Record<string, string>): AesGcmPayloadCodec {
  const codec = payloadCodecFromEnv(env);
  if (codec === undefined) throw new Error('expected a codec');
  return codec;
}

async function encrypted(codec: AesGcmPayloadCodec, value: unknown): Promise<Payload> {
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return payload as Payload;
}

describe('AesGcmPayloadCodec', () => {
  it('round-trips payloads and leaves no plaintext in the encoded form', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const original = [
      defaultPayloadConverter.toPayload(personal),
      defaultPayloadConverter.toPayload(null),
      defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3])),
    ];
    const encoded = await codec.encode(original);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(encryptedEncoding);
      expect(text(payload.metadata?.[keyIdMetadataKey])).toBe('k1');
      expect(Buffer.from(payload.data ?? []).includes('Jane Payer')).toBe(false);
      expect(Buffer.from(payload.data ?? []).includes('json/plain')).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      personal,
      null,
      new Uint8Array([1, 2, 3]),
    ]);
  });

  it('uses a fresh IV for every payload', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const [a, b] = await codec.encode([
      defaultPayloadConverter.toPayload(personal),
      defaultPayloadConverter.toPayload(personal),
    ]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('rotates: payloads encrypted with k1 still open once k2 is current', async () => {
    const before = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const old = await encrypted(before, personal);
    const after = codecFor({
      PAYLOAD_ENCRYPTION_KEYS: `${k1},${k2}`,
      PAYLOAD_ENCRYPTION_KEY_ID: 'k2',
    });
    expect(after.currentKeyId).toBe('k2');
    const fresh = await encrypted(after, personal);
    expect(text(fresh.metadata?.[keyIdMetadataKey])).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      personal,
      personal,
    ]);
  });

  it('defaults the current key to the first listed', () => {
    expect(codecFor({ PAYLOAD_ENCRYPTION_KEYS: `${k2}, ${k1}` }).currentKeyId).toBe('k2');
  });

  it('refuses altered ciphertext, IV or tag', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const payload = await encrypted(codec, personal);
    const data = payload.data as Uint8Array;
    for (const index of [0, 12, data.length - 1]) {
      const altered = new Uint8Array(data);
      altered[index] = (altered[index] ?? 0) ^ 1;
      await expect(codec.decode([{ ...payload, data: altered }])).rejects.toThrow(
        /key "k1": it was altered/,
      );
    }
    await expect(codec.decode([{ ...payload, data: data.subarray(0, 20) }])).rejects.toThrow(
      /too short/,
    );
  });

  it('refuses a payload moved under another key id', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: `${k1},${k2}` });
    const payload = await encrypted(codec, personal);
    const relabelled = {
      ...payload,
      metadata: { ...payload.metadata, [keyIdMetadataKey]: new TextEncoder().encode('k2') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key "k2"/);
  });

  it('names an unknown key id without leaking any key material', async () => {
    const payload = await encrypted(codecFor({ PAYLOAD_ENCRYPTION_KEYS: k2 }), personal);
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const error = await codec.decode([payload]).then(
      () => expect.unreachable(),
      (caught: Error) => caught,
    );
    expect(error.message).toContain('"k2"');
    expect(error.message).toContain('PAYLOAD_ENCRYPTION_KEYS');
    for (const key of [k1, k2]) {
      expect(error.message).not.toContain(material(key));
      expect(error.message).not.toContain(Buffer.from(material(key), 'base64').toString('hex'));
    }
  });

  it('keeps key material out of inspection and JSON', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: `${k1},${k2}` });
    const { inspect } = await import('node:util');
    for (const shown of [inspect(codec, { depth: 10 }), JSON.stringify(codec)]) {
      expect(shown).not.toContain(material(k1));
      expect(shown).not.toContain(material(k2));
    }
  });

  it('passes unencrypted payloads (history from before encryption) through decode', async () => {
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: k1 });
    const plain = [
      defaultPayloadConverter.toPayload(personal),
      defaultPayloadConverter.toPayload(undefined),
      { metadata: {}, data: new Uint8Array([7]) },
      {},
    ];
    expect(await codec.decode(plain)).toEqual(plain);
  });

  it('accepts raw 32-byte keys and refuses others, naming the key id', () => {
    const key = new Uint8Array(32).fill(9);
    expect(new AesGcmPayloadCodec({ keys: [{ keyId: 'raw', key }] }).currentKeyId).toBe('raw');
    expect(
      () => new AesGcmPayloadCodec({ keys: [{ keyId: 'short', key: new Uint8Array(16) }] }),
    ).toThrow(/"short" must be 32 bytes/);
    expect(() => new AesGcmPayloadCodec({ keys: [] })).toThrow(/at least one key/);
  });
});

describe('payload encryption configuration', () => {
  const problemWith = (env: Record<string, string>): string => {
    try {
      payloadCodecFromEnv(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    ['a key of 16 bytes', `k1:${Buffer.alloc(16, 1).toString('base64')}`, /"k1" must be 32 bytes/],
    ['a key that is not base64', 'k1:not*base64!', /"k1" must be 32 bytes.*not base64/],
    ['an entry without a key id', material(k1), /entry 1 is not keyId:base64key/],
    ['a bad key id', `bad id:${material(k1)}`, /entry 1: the key id/],
    ['a repeated key id', `${k1},${generatePayloadKeyEntry('k1')}`, /"k1" is listed twice/],
    ['no keys at all', ' , ', /lists no keys/],
  ])('refuses %s, naming the variable but not the key', (_name, value, message) => {
    const shown = problemWith({ PAYLOAD_ENCRYPTION_KEYS: value });
    expect(shown).toMatch(/PAYLOAD_ENCRYPTION_KEYS: /);
    expect(shown).toMatch(message);
    const secret = material(value.split(',')[0] ?? '').trim();
    if (secret.length >= 8) expect(shown).not.toContain(secret);
    // The whole configuration refuses the same way.
    expect(() => parseConfig({ PAYLOAD_ENCRYPTION_KEYS: value })).toThrow(
      /PAYLOAD_ENCRYPTION_KEYS: /,
    );
  });

  it('refuses a current key id that is not listed', () => {
    const shown = problemWith({ PAYLOAD_ENCRYPTION_KEYS: k1, PAYLOAD_ENCRYPTION_KEY_ID: 'k9' });
    expect(shown).toMatch(/PAYLOAD_ENCRYPTION_KEY_ID: "k9" is not among the keys .*\(k1\)/);
    expect(shown).not.toContain(material(k1));
    expect(problemWith({ PAYLOAD_ENCRYPTION_KEY_ID: 'k1' })).toMatch(/PAYLOAD_ENCRYPTION_KEY_ID/);
  });

  it('refuses to run without keys in production, and runs plain elsewhere', () => {
    expect(problemWith({ NODE_ENV: 'production' })).toMatch(
      /PAYLOAD_ENCRYPTION_KEYS: required in production/,
    );
    expect(payloadCodecFromEnv({ NODE_ENV: 'development' })).toBeUndefined();
    expect(dataConverterFromEnv({ NODE_ENV: 'test', PAYLOAD_ENCRYPTION_KEYS: '' })).toBeUndefined();
    expect(dataConverterFromEnv({ NODE_ENV: 'production', PAYLOAD_ENCRYPTION_KEYS: k1 })).toEqual({
      payloadCodecs: [expect.any(AesGcmPayloadCodec)],
      // Failure messages and stack traces go into an encrypted payload too.
      failureConverterPath: expect.stringMatching(/failureConverter\.cjs$/),
    });
  });

  it('ignores unrelated bad variables', () => {
    expect(payloadCodecFromEnv({ PORT: 'eighty', PAYLOAD_ENCRYPTION_KEYS: k1 })).toBeDefined();
  });

  it('parses Temporal UI origins', () => {
    expect(parseConfig({}).TEMPORAL_UI_ORIGIN).toBeUndefined();
    expect(
      parseConfig({
        TEMPORAL_UI_ORIGIN: 'https://temporal.council.example/, http://localhost:8080',
      }).TEMPORAL_UI_ORIGIN,
    ).toEqual(['https://temporal.council.example', 'http://localhost:8080']);
    expect(() => parseConfig({ TEMPORAL_UI_ORIGIN: 'https://x.example/path' })).toThrow(
      /TEMPORAL_UI_ORIGIN: "https:\/\/x.example\/path" is not an origin/,
    );
  });
});

describe('development keys for npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ims-payload-keys-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a key once, private to the owner, and reuses it on every later start', () => {
    const first = developmentPayloadKeys(dataDir);
    expect(first.created).toBe(true);
    const file = join(dataDir, 'payload-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(first.keys);
    const second = developmentPayloadKeys(dataDir);
    expect(second).toEqual({ keys: first.keys, created: false });
    const codec = codecFor({ PAYLOAD_ENCRYPTION_KEYS: second.keys });
    expect(codec.currentKeyId).toMatch(/^dev-\d{8}-[0-9a-f]{6}$/);
  });
});
