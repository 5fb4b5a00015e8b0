// Proves POST /v1/references/validate against the seeded demo council: the worked examples of
// domain.md §3 pass and every one-character change of them fails; limits, disabled funds and
// methods, missing and on-stop accounts are normal answers; malformed requests are 400s.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { demoOnStopMessage } from '../../domain/demoAccountHolders';
import { councilTaxCheckDigit } from '../../domain/demoFunds';
import { computeCheckCharacter } from '../../domain/references';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

const validate = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  stack.request('POST', '/v1/references/validate', { amountPence: 1_000, ...body }, headers);

/** Every string that differs from `reference` in exactly one character. */
function oneCharacterChanges(reference: string): string[] {
  const changes: string[] = [];
  for (let position = 0; position < reference.length; position++) {
    for (const replacement of '0123456789ABJZ') {
      if (replacement === reference[position]) continue;
      changes.push(reference.slice(0, position) + replacement + reference.slice(position + 1));
    }
  }
  return changes;
}

describe('references.happy', () => {
  it.each([
    ['PCN', 'BJ12345673'],
    ['CTAX', '123456780'],
  ])(
    'accepts the worked example for %s (%s), normalising case and spaces',
    async (fundCode, reference) => {
      const response = await validate({
        fundCode,
        reference: ` ${reference.toLowerCase()} `,
        methodOfPaymentCode: 'CSS',
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ valid: true, fundCode, normalisedReference: reference });
    },
  );

  it.each([
    ['PCN', 'bj 1234 5673', 'BJ12345673'],
    ['CTAX', '1234 5678 0', '123456780'],
  ])('reads %s reference %j, typed in groups, as %s', async (fundCode, typed, reference) => {
    const response = await validate({ fundCode, reference: typed });
    expect(response.body).toEqual({ valid: true, fundCode, normalisedReference: reference });
  });

  it.each([
    ['PCN', 'BJ12345673'],
    ['CTAX', '123456780'],
  ])('refuses every one-character change of the %s example', async (fundCode, reference) => {
    for (const changed of oneCharacterChanges(reference)) {
      const response = await validate({ fundCode, reference: changed });
      expect(response.status).toBe(200);
      expect(response.body, changed).toMatchObject({ valid: false, field: 'reference' });
    }
  });

  it('routes a reference without a fund by the first matching route', async () => {
    const route = (reference: string) =>
      stack.request('POST', '/v1/references/route', { reference });
    expect((await route('561234567')).body).toEqual({ fundCode: 'NNDR' });
    expect((await route('123456780')).body).toEqual({ fundCode: 'CTAX' });
    expect((await route(' bj12345673')).body).toEqual({ fundCode: 'PCN' });
    expect((await route('no such thing')).body).toEqual({ fundCode: null });
  });
});

describe('references.error: refusals are answers, not errors', () => {
  it('applies the fund maximum and the method of payment maximum', async () => {
    const ctax = { fundCode: 'CTAX', reference: '123456780' };
    expect((await validate({ ...ctax, amountPence: 600_000 })).body.valid).toBe(true);
    expect(
      (await validate({ ...ctax, amountPence: 600_000, methodOfPaymentCode: 'CSH' })).body,
    ).toMatchObject({
      valid: false,
      code: 'amount_above_maximum',
      field: 'amountPence',
    });
    expect((await validate({ ...ctax, amountPence: 1_000_001 })).body.code).toBe(
      'amount_above_maximum',
    );
    expect((await validate({ ...ctax, amountPence: 0 })).body.code).toBe('amount_not_positive');
  });

  it('names unknown and disabled funds and methods', async () => {
    expect((await validate({ fundCode: 'NOPE', reference: '1' })).body).toMatchObject({
      code: 'unknown_fund',
      field: 'fundCode',
    });
    const pcn = { fundCode: 'PCN', reference: 'BJ12345673' };
    expect((await validate({ ...pcn, methodOfPaymentCode: 'NOPE' })).body.code).toBe(
      'unknown_method_of_payment',
    );
    await stack.request('POST', '/v1/methods-of-payment/PP/disable', {});
    expect((await validate({ ...pcn, methodOfPaymentCode: 'PP' })).body).toMatchObject({
      code: 'method_of_payment_disabled',
      field: 'methodOfPaymentCode',
    });
    await stack.request('POST', '/v1/funds/FPN/disable', {});
    expect((await validate({ fundCode: 'FPN', reference: 'FP00000000' })).body).toMatchObject({
      valid: false,
      code: 'fund_disabled',
      field: 'fundCode',
    });
  });

  it('refuses a reference missing from a required account-holder list', async () => {
    await stack.request('PATCH', '/v1/funds/CTAX', { accountHolderListRequired: true });
    const unlisted = `99999999${computeCheckCharacter(councilTaxCheckDigit, '99999999?')}`;
    expect((await validate({ fundCode: 'CTAX', reference: unlisted })).body).toMatchObject({
      valid: false,
      code: 'account_not_found',
      field: 'reference',
    });
    expect((await validate({ fundCode: 'CTAX', reference: '123456780' })).body.valid).toBe(true);
    await stack.request('PATCH', '/v1/funds/CTAX', { accountHolderListRequired: false });
  });

  it('refuses malformed requests with a 400 naming the field, writing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ fundCode: 'CTAX' }, 'body.reference'],
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 10.5 }, 'body.amountPence'],
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: '1000' }, 'body.amountPence'],
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: -1 }, 'body.amountPence'],
      [{ fundCode: 'ctax', reference: '123456780' }, 'body.fundCode'],
      [{ fundCode: 'CTAX', reference: '123456780', colour: 'red' }, 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await expectNothingWritten(stack, () => validate(body));
      expectProblem(response, 400, [field]);
    }
  });
});

describe('references.security', () => {
  it('refuses an account on stop with its message, unless the caller may override the stop', async () => {
    const clerk = await stack.keyFor('clerk', ['view']);
    const refused = await validate({ fundCode: 'CTAX', reference: '512345677' }, clerk);
    expect(refused.body).toEqual({
      valid: false,
      code: 'account_on_stop',
      field: 'reference',
      message: demoOnStopMessage,
    });
    const supervisor = await stack.keyFor('recovery.supervisor', [
      'view',
      'payment.on_stop_override',
    ]);
    const overridden = await validate({ fundCode: 'CTAX', reference: '512345677' }, supervisor);
    expect(overridden.body).toMatchObject({ valid: true, fundCode: 'CTAX' });
  });

  it('skips routes to a disabled fund rather than sending money there', async () => {
    await stack.request('POST', '/v1/funds/NNDR/disable', {});
    const response = await stack.request('POST', '/v1/references/route', {
      reference: '561234567',
    });
    expect(response.body).toEqual({ fundCode: 'CTAX' });
  });
});
