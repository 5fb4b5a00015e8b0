import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestStack } from './stack';
import { testDataConverter } from './stackInfo';

/**
 * Recording workflow histories for test/integration/replay.test.ts. The stack encrypts every
 * payload with this run's random keys (platform/payloadCodec.ts), which no later run has, so a
 * history is decoded through the codec before it is written: the fixture then holds plain
 * payloads, which the replayer (no codec) reads as any history from before encryption.
 */
export const historiesDir = join(import.meta.dirname, '..', 'fixtures', 'histories');

export const recordingHistories = process.env.RECORD_HISTORIES === '1';

function isPayload(value: unknown): value is Payload {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { metadata?: unknown; data?: unknown };
  return (
    candidate.metadata !== null &&
    typeof candidate.metadata === 'object' &&
    (candidate.data === undefined ||
      candidate.data === null ||
      candidate.data instanceof Uint8Array)
  );
}

/** Replaces, in place, every payload under `node` (inputs, results, failures, memos...) by its decoding. */
async function decodeIn(node: unknown, codecs: readonly PayloadCodec[]): Promise<void> {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
  const entries: [string | number, unknown][] = Array.isArray(node)
    ? node.map((value, index) => [index, value])
    : Object.entries(node);
  for (const [key, value] of entries) {
    if (isPayload(value)) {
      let payloads = [value];
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      (node as Record<string | number, unknown>)[key] = payloads[0];
    } else {
      await decodeIn(value, codecs);
    }
  }
}

/** The history as JSON with every payload decoded. */
export async function decodedHistoryJSON(stack: TestStack, workflowId: string): Promise<string> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  await decodeIn(history, testDataConverter(stack.info).payloadCodecs ?? []);
  const json = historyToJSON(history);
  if (json.includes(Buffer.from('binary/encrypted').toString('base64')))
    throw new Error(`history of ${workflowId} still holds encrypted payloads`);
  return json;
}

/** With RECORD_HISTORIES=1, writes the workflow's decoded history as `<name>.json`. */
export async function recordHistory(stack: TestStack, workflowId: string, name: string) {
  if (!recordingHistories) return;
  writeFileSync(join(historiesDir, `${name}.json`), await decodedHistoryJSON(stack, workflowId));
}
