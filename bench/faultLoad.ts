import { once } from 'node:events';
import { createWriteStream, openAsBlob } from 'node:fs';
import { generateCollectionFile, parserFor, postOfficeProfile } from '../domain/imports';
import { finalPaymentStates, type PaymentState } from '../domain/payment';

/**
 * What a fault run does to the product, from the outside, as a council's systems and payers
 * would: every call is retried while the product is partly down (that is the point), and a
 * payment carries an Idempotency-Key so a retried POST can never take it twice.
 */
export type Api = { url: string; auth: Record<string, string> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch, retried on connection errors and 5xx until `deadlineMs` (the API restarting its pool). */
async function call(url: string, init: RequestInit, deadlineMs = 300_000): Promise<Response> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    try {
      const response = await fetch(url, init);
      if (response.status < 500 || Date.now() > giveUpAt) return response;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
    }
    await sleep(500);
  }
}

async function getJson<T>(api: Api, path: string): Promise<T> {
  return (await (await call(`${api.url}${path}`, { headers: api.auth })).json()) as T;
}

type PaymentBody = { paymentId: string; state: PaymentState; nextUrl: string | null };

export type PaymentOutcome = {
  paymentId: string;
  state: PaymentState;
  amountPence: number;
  ms: number;
};

/** POST, pay on the PSP's page (retried while the PSP is away), then wait for a final state. */
export async function takePayment(
  api: Api,
  key: string,
  amountPence: number,
): Promise<PaymentOutcome> {
  const started = performance.now();
  const created = await call(`${api.url}/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': key, ...api.auth },
    body: JSON.stringify({
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence }],
      description: 'Fault run',
      returnUrl: 'https://council.example/done',
    }),
  });
  if (![200, 201, 202].includes(created.status))
    throw new Error(`POST /v1/payments answered ${created.status}: ${await created.text()}`);
  let payment = (await created.json()) as PaymentBody;
  // 202: the PSP was slow (or away); the next_url comes later.
  while (payment.nextUrl === null && !finalPaymentStates.has(payment.state)) {
    await sleep(500);
    payment = await getJson<PaymentBody>(api, `/v1/payments/${payment.paymentId}`);
  }
  if (payment.nextUrl !== null) {
    for (;;) {
      const paid = await fetch(`${payment.nextUrl}/pay`, {
        method: 'POST',
        redirect: 'manual',
      }).catch(() => undefined);
      if (paid?.status === 303) break;
      await sleep(1_000);
    }
  }
  while (!finalPaymentStates.has(payment.state)) {
    await sleep(500);
    payment = await getJson<PaymentBody>(api, `/v1/payments/${payment.paymentId}`);
  }
  return {
    paymentId: payment.paymentId,
    state: payment.state,
    amountPence,
    ms: performance.now() - started,
  };
}

/** Runs `count` tasks, at most `limit` at once. */
export async function inParallel<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

export type CollectionFile = { path: string; rows: number; totalPence: number };

/** A Post Office collection file on disk, and its totals as the parser reads them. */
export async function writeCollectionFile(
  path: string,
  rows: number,
  seed: number,
): Promise<CollectionFile> {
  const options = { rows, unidentifiableRatio: 0.02, seed, transactionDate: '2026-11-21' };
  const out = createWriteStream(path);
  for (const line of generateCollectionFile(options)) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  let totalPence = 0;
  let count = 0;
  await parserFor(postOfficeProfile).parse(generateCollectionFile(options), (row) => {
    totalPence += row.amountPence;
    count++;
  });
  return { path, rows: count, totalPence };
}

export type ImportBody = {
  importId: string;
  state: string;
  rowsAllocated: number;
  rowsSuspended: number;
  rowsRejected: number;
};

export async function uploadImport(api: Api, file: CollectionFile): Promise<string> {
  const form = new FormData();
  form.append('profileId', 'post-office');
  form.append('file', await openAsBlob(file.path), 'collection.txt');
  const response = await fetch(`${api.url}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: api.auth,
  });
  if (response.status !== 202 && response.status !== 201)
    throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { importId: string }).importId;
}

/** Polls the import; `onPoll` sees each answer (a fault run strikes mid-posting). */
export async function waitForImport(
  api: Api,
  importId: string,
  onPoll: (body: ImportBody) => Promise<void> = async () => {},
): Promise<ImportBody> {
  for (;;) {
    const body = await getJson<ImportBody>(api, `/v1/imports/${importId}`);
    await onPoll(body);
    if (['completed', 'refused', 'failed'].includes(body.state)) return body;
    await sleep(500);
  }
}
