// Proves POST /v1/references/explain ("try a reference") on the seeded demo council: it names
// the failing step and the expected check character for a saved fund or a draft validator
// (Dynix included), answers malformed requests and unknown funds with problems naming the
// field, keeps to the caller's fund groups, and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

const explain = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  stack.request('POST', '/v1/references/explain', body, headers);

const libraryCard = {
  characterClass: 'digits',
  mask: '#############@',
  checkDigit: {
    kind: 'dynix',
    modulus: 10,
    weights: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0],
  },
};

describe('explain.happy', () => {
  it('names the check digit of a saved fund and the character it expects', async () => {
    const response = await explain({ fundCode: 'PCN', reference: ' bj12345674 ' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      valid: false,
      normalisedReference: 'BJ12345674',
      failure: { step: 'checkDigit', code: 'check_digit_mismatch' },
      checkCharacter: { position: 9, found: '4', expected: '3' },
    });
    expect(response.body.steps).toEqual([
      { step: 'length', outcome: 'passed' },
      { step: 'characterClass', outcome: 'passed' },
      { step: 'pattern', outcome: 'not_set' },
      { step: 'mask', outcome: 'passed' },
      { step: 'checkDigit', outcome: 'failed' },
    ]);
  });

  it('names the pattern of a saved fund in its own words', async () => {
    const response = await explain({ fundCode: 'RENT', reference: '71234567897' });
    expect(response.body).toMatchObject({
      valid: false,
      failure: { step: 'pattern', message: 'Rent references start with 6' },
      checkCharacter: null,
    });
  });

  it('passes the worked examples', async () => {
    for (const [fundCode, reference] of [
      ['PCN', 'BJ12345673'],
      ['CTAX', '123456780'],
    ]) {
      const response = await explain({ fundCode, reference });
      expect(response.body, reference).toMatchObject({ valid: true, failure: null });
    }
  });

  it('tries a draft Dynix validator without saving it', async () => {
    const passes = await expectNothingWritten(stack, () =>
      explain({ validator: libraryCard, reference: '21234000567899' }),
    );
    expect(passes.body).toMatchObject({ valid: true, summary: 'The reference passes every step.' });
    const fails = await explain({ validator: libraryCard, reference: '21234000567890' });
    expect(fails.body).toMatchObject({
      failure: { step: 'checkDigit' },
      checkCharacter: { position: 13, found: '0', expected: '9' },
    });
    const short = await explain({ validator: libraryCard, reference: '2123400056789' });
    expect(short.body).toMatchObject({ failure: { step: 'mask' }, checkCharacter: null });
  });
});

describe('explain.error', () => {
  it('refuses a body naming both or neither of a fund and a validator', async () => {
    expectProblem(await explain({ reference: '1' }), 400, ['body.fundCode']);
    expectProblem(await explain({ reference: '1', fundCode: 'PCN', validator: {} }), 400, [
      'body.fundCode',
    ]);
    expectProblem(await explain({ fundCode: 'PCN' }), 400, ['body.reference']);
    expectProblem(await explain({ fundCode: 'PCN', reference: 'x'.repeat(201) }), 400, [
      'body.reference',
    ]);
  });

  it('refuses a draft validator that cannot run, and answers 404 for an unknown fund', async () => {
    expectProblem(
      await explain({ validator: { pattern: '6(\\d' }, reference: '61234567891' }),
      400,
      ['body.validator.pattern'],
    );
    expectProblem(await explain({ fundCode: 'NOPE', reference: '1' }), 404, ['body.fundCode']);
  });
});

describe('explain.security', () => {
  it('needs the view permission, and keeps to the caller’s fund groups', async () => {
    const none = await stack.keyFor('nobody', []);
    expect((await explain({ fundCode: 'PCN', reference: 'BJ12345673' }, none)).status).toBe(403);
    const revenues = await stack.keyFor('revenues.clerk', ['view'], ['REV']);
    const own = await explain({ fundCode: 'CTAX', reference: '123456780' }, revenues);
    expect(own.body.valid).toBe(true);
    expectProblem(await explain({ fundCode: 'PCN', reference: 'BJ12345673' }, revenues), 403, [
      'body.fundCode',
    ]);
    // A draft names no fund, so the scope has nothing to refuse.
    const draft = await explain({ validator: libraryCard, reference: '21234000567899' }, revenues);
    expect(draft.body.valid).toBe(true);
  });
});
