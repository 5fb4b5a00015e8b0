// Proves personal data in workflow payloads never reaches Temporal in clear: a real workflow's
// raw history (as the server stores it and its UI shows it) holds only encrypted payloads under
// the current key, and the same history decodes with the codec. Also proves the codec endpoint
// the Temporal Web UI calls: it decodes, refuses callers `authorize` turns away, and answers
// CORS preflight for the UI's origin only.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecRouter } from '../../api/codecServer';
import { problemErrorHandler } from '../../api/problem';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import {
  type AesGcmPayloadCodec,
  encryptedEncoding,
  keyIdMetadataKey,
  payloadCodecFromEnv,
} from '../../platform/payloadCodec';
import type { PaymentServiceProvider } from '../../psp';
import { probeWorkflow } from '../../workflows/probe';
import { useTestStack } from '../harness/stack';

const { temporal } = proto;
const personal = 'Ms Jane Payer, 1 High Street';
/** A PSP whose refusals name the payer, as a real provider's error text might. */
const refusingPsp = new Proxy({} as PaymentServiceProvider, {
  get: () => () => Promise.reject(new Error(`card of ${personal} refused`)),
});
const stack = useTestStack({ psp: () => refusingPsp });
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? undefined);

function codecOf(keys: string): AesGcmPayloadCodec {
  const codec = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEYS: keys });
  if (codec === undefined) throw new Error('no payload keys');
  return codec;
}

/** Every payload anywhere in a raw history (objects with metadata and bytes of data). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if ('metadata' in value && 'data' in value && value.data instanceof Uint8Array) {
    found.push(value as Payload);
    return found;
  }
  for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

describe('payload encryption', () => {
  it('stores a workflow carrying personal data encrypted, and decodes it with the key', async () => {
    const probeId = `probe-pii-${randomUUID()}`;
    const handle = await stack.temporal.workflow.start(probeWorkflow, {
      workflowId: probeId,
      taskQueue: stack.taskQueue,
      args: [{ probeId, requestedBy: personal }],
      memo: { note: `called by ${personal}` },
    });
    const result = await handle.result();
    expect(result.probeId).toBe(probeId);

    const { history } = await stack.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: stack.info.namespace,
      execution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
    });
    if (!history) throw new Error('no history');
    // Search attributes (here ImsCouncil) are plain by Temporal's design and hold no personal
    // data (workflows/searchAttributes.ts); everything else must be encrypted.
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started?.searchAttributes) started.searchAttributes = null;
    }
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(raw.includes(personal)).toBe(false);
    expect(raw.includes('Jane Payer')).toBe(false);
    expect(raw.includes('json/plain')).toBe(false);

    const payloads = payloadsIn(history.events);
    // Input, memo, the activity's input and result, the workflow's result at the least.
    expect(payloads.length).toBeGreaterThanOrEqual(5);
    const codec = codecOf(stack.info.payloadEncryptionKeys);
    for (const payload of payloads) {
      expect(text(payload.metadata?.encoding)).toBe(encryptedEncoding);
      expect(text(payload.metadata?.[keyIdMetadataKey])).toBe(codec.currentKeyId);
    }

    const decoded = await codec.decode(payloads);
    const values = decoded.map((payload) => defaultPayloadConverter.fromPayload(payload));
    expect(values).toContainEqual({ probeId, requestedBy: personal });
    expect(values).toContainEqual(`called by ${personal}`);
    expect(values).toContainEqual(expect.objectContaining({ probeId, workflowId: probeId }));
  });

  it('keeps failure messages (which can name a payer) encrypted too', async () => {
    await runSeedsOnce(stack.database.sql, demoSeeds);
    const created = await stack.request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 100 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    });
    const workflowId: string = created.body.paymentId;
    // The PSP call fails and is retried: its last failure shows on the pending activity.
    let lastFailure: unknown;
    for (let attempt = 0; attempt < 100 && lastFailure === undefined; attempt++) {
      const described = await stack.temporal.workflowService.describeWorkflowExecution({
        namespace: stack.info.namespace,
        execution: { workflowId },
      });
      lastFailure = described.pendingActivities?.find(
        (activity) => activity.lastFailure,
      )?.lastFailure;
      if (lastFailure === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      else {
        const raw = Buffer.from(
          temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(
            described,
          ).finish(),
        );
        expect(raw.includes('Jane Payer')).toBe(false);
      }
    }
    const failure = lastFailure as {
      message: string;
      stackTrace: string;
      encodedAttributes: Payload;
    };
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(text(failure.encodedAttributes.metadata?.encoding)).toBe(encryptedEncoding);
    const [decoded] = await codecOf(stack.info.payloadEncryptionKeys).decode([
      failure.encodedAttributes,
    ]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(decoded!).message).toContain(
      personal,
    );
    await stack.temporal.workflow.getHandle(workflowId).terminate('test done');
  });

  it('decodes with a previous key after rotation (the key a payload names)', async () => {
    // The run's keys are `test-current,test-previous`: make the previous one current.
    const keys = stack.info.payloadEncryptionKeys;
    const rotated = payloadCodecFromEnv({
      PAYLOAD_ENCRYPTION_KEYS: keys,
      PAYLOAD_ENCRYPTION_KEY_ID: 'test-previous',
    });
    const [encoded] = (await rotated?.encode([defaultPayloadConverter.toPayload(personal)])) ?? [];
    expect(text(encoded?.metadata?.[keyIdMetadataKey])).toBe('test-previous');
    const [decoded] = await codecOf(keys).decode([encoded as Payload]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toBe(personal);
  });
});

describe('the codec endpoint for the Temporal Web UI', () => {
  const uiOrigin = 'http://localhost:8233';
  let baseUrl = '';
  let server: Server | undefined;
  let allow = true;
  let codec: AesGcmPayloadCodec;

  beforeAll(async () => {
    codec = codecOf(stack.info.payloadEncryptionKeys);
    const app = express();
    app.use(
      codecRouter({
        codecs: [codec],
        allowedOrigins: [uiOrigin, 'http://127.0.0.1:8233'],
        authorize: () => allow,
      }),
    );
    app.use(problemErrorHandler((error) => console.error(error)));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const toJson = (payload: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: uiOrigin,
        'x-namespace': 'default',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('decodes an encoded payload, in the remote codec JSON shape', async () => {
    allow = true;
    const encoded = await codec.encode([defaultPayloadConverter.toPayload({ payer: personal })]);
    const plain = defaultPayloadConverter.toPayload('not encrypted');
    const response = await post('/codec/decode', {
      payloads: [...encoded.map(toJson), toJson(plain)],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await response.json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    expect(body.payloads).toHaveLength(2);
    expect(Buffer.from(body.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe(
      'json/plain',
    );
    expect(JSON.parse(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString())).toEqual({
      payer: personal,
    });
    expect(body.payloads[1]).toEqual(toJson(plain));
  });

  it('encodes, so the UI can send encrypted signal and start arguments', async () => {
    allow = true;
    const plain = defaultPayloadConverter.toPayload({ payer: personal });
    const response = await post('/codec/encode', { payloads: [toJson(plain)] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    const encoded = body.payloads[0];
    expect(Buffer.from(encoded?.metadata.encoding ?? '', 'base64').toString()).toBe(
      encryptedEncoding,
    );
    expect(Buffer.from(encoded?.data ?? '', 'base64').includes('Jane Payer')).toBe(false);
    const [decoded] = await codec.decode([
      {
        metadata: Object.fromEntries(
          Object.entries(encoded?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
        ),
        data: Buffer.from(encoded?.data ?? '', 'base64'),
      },
    ]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual({ payer: personal });
  });

  it('refuses when authorize says no, as problem+json the UI can read', async () => {
    allow = false;
    const encoded = await codec.encode([defaultPayloadConverter.toPayload(personal)]);
    const response = await post('/codec/decode', { payloads: encoded.map(toJson) });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const body = await response.text();
    expect(body).toContain('urn:ims:problem:forbidden');
    expect(body).not.toContain('Jane Payer');
  });

  it('answers the UI origin’s preflight, and no other origin', async () => {
    allow = true;
    const preflight = (origin: string) =>
      fetch(`${baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
    const ok = await preflight(uiOrigin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toBe(
      'content-type, x-namespace, authorization',
    );
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const foreign = await post(
      '/codec/decode',
      { payloads: [] },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body that is not the codec JSON shape, and undecodable payloads', async () => {
    allow = true;
    const bad = await post('/codec/decode', { payloads: [{ data: 'not base64!' }] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('body.payloads[0].data');
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(personal)]);
    const unknownKey = {
      ...toJson(encoded as Payload),
      metadata: {
        ...toJson(encoded as Payload).metadata,
        [keyIdMetadataKey]: Buffer.from('retired').toString('base64'),
      },
    };
    const refused = await post('/codec/decode', { payloads: [unknownKey] });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('\\"retired\\"');
  });
});
