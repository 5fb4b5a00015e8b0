export { payCard, startSandboxPsp } from '../harness/sandbox';

import { NativeConnection, Worker } from '@temporalio/worker';
import { expect } from 'vitest';
import { createActivities } from '../../activities';
import { createCloseOfDayActivities } from '../../activities/closeOfDay';
import type { PaymentServiceProvider } from '../../psp';
import { silentLogger, type TestResponse, type TestStack } from '../harness/stack';
import { testDataConverter } from '../harness/stackInfo';

/** Shared steps of the full-day test: card payments, uploads, and a statement written by hand. */

/** The bank's MT940 statement profile, posting credits through CTRL:BANK as statements do. */
export async function createMt940Profile(stack: TestStack): Promise<void> {
  const profile = await stack.request('POST', '/v1/import-profiles', {
    id: 'bank-mt940',
    name: 'Bank statement (MT940)',
    kind: 'mt940',
    definition: { kind: 'mt940' },
    methodOfPaymentCode: 'BT',
    clearingAccountCode: 'CTRL:BANK',
  });
  expect(profile.status).toBe(201);
}

export async function uploadFile(
  stack: TestStack,
  content: string,
  profileId: string,
  fileName: string,
): Promise<TestResponse> {
  const form = new FormData();
  form.append('profileId', profileId);
  form.append('file', new Blob([content]), fileName);
  const response = await fetch(`${stack.baseUrl}/v1/imports`, {
    method: 'POST',
    body: form,
    headers: await stack.authHeaders(),
  });
  const text = await response.text();
  expect(response.status, text).toBe(202);
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

export async function waitForImport(
  stack: TestStack,
  importId: string,
): Promise<TestResponse['body']> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { body } = await stack.request('GET', `/v1/imports/${importId}`);
    if (body.state === 'completed' || body.state === 'refused') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

const yymmdd = (date: string) => date.slice(2).replaceAll('-', '');
const mtAmount = (pence: number) =>
  `${Math.floor(pence / 100)},${String(pence % 100).padStart(2, '0')}`;

/** A one-statement MT940 of credits, opening at zero and closing at their sum. */
export function mt940Statement(
  credits: { date: string; amountPence: number; reference: string }[],
): string {
  const closing = credits.reduce((sum, credit) => sum + credit.amountPence, 0);
  const last =
    credits
      .map((credit) => credit.date)
      .sort()
      .at(-1) ?? '2026-01-01';
  const entries = credits.flatMap((credit, index) => [
    `:61:${yymmdd(credit.date)}${yymmdd(credit.date).slice(2)}C${mtAmount(credit.amountPence)}NTRF${credit.reference.replaceAll(' ', '')}//BR${index + 1}`,
    `:86:${credit.reference}`,
  ]);
  return [
    '{1:F01DEMOGB2LAXXX0000000000}{2:O9401200250401DEMOGB2LAXXX00000000002504011200N}{4:',
    ':20:STMTFULLDAY',
    ':25:40051234567890',
    ':28C:00001/001',
    `:60F:C${yymmdd(credits[0]?.date ?? last)}GBP0,00`,
    ...entries,
    `:62F:C${yymmdd(last)}GBP${mtAmount(closing)}`,
    '-}',
    '',
  ].join('\n');
}

/**
 * Runs `action` against a worker whose close-of-day clock reads tomorrow, standing in for the
 * nightly run: the close refuses a day that has not ended. The stack's own worker is stopped.
 */
export async function withTomorrowsClock<T>(
  stack: TestStack,
  psp: PaymentServiceProvider,
  action: () => Promise<T>,
): Promise<T> {
  await stack.stopWorker();
  const connection = await NativeConnection.connect({ address: stack.info.temporalAddress });
  const { db, sql } = stack.database;
  try {
    const worker = await Worker.create({
      connection,
      namespace: stack.info.namespace,
      taskQueue: stack.taskQueue,
      workflowBundle: { codePath: stack.info.workflowBundlePath },
      dataConverter: testDataConverter(stack.info),
      activities: {
        ...createActivities({ db, sql, logger: silentLogger, psp }),
        ...createCloseOfDayActivities({ db, now: () => Date.now() + 86_400_000 }),
      },
    });
    return await worker.runUntil(action());
  } finally {
    await connection.close();
  }
}
