// Proves every malformed configuration request is refused with a problem naming the field,
// down to the inside of a fund's reference validator (a pattern that compiles only leniently,
// or that refuses the validator's own example references: issue 19), and that a refused
// request writes nothing: no row, no ledger account, no audit record. Validators saved before
// those checks still read back.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const weighted = { kind: 'weighted', modulus: 11, weights: [1, 2, 3], subtractFromModulus: false };

const fund = (extra: Record<string, unknown> = {}) => ({
  code: 'NEWFUND',
  name: 'New fund',
  validator: { minLength: 4, maxLength: 10 },
  vatCode: 'O',
  maxPence: 100_000,
  ledgerCode: 'L1',
  costCentre: 'C1',
  ...extra,
});

async function refused(path: string, body: unknown, fields: string[], status = 400) {
  const response = await expectNothingWritten(stack, () => stack.request('POST', path, body));
  expectProblem(response, status, fields);
  return response;
}

beforeAll(async () => {
  await stack.request('POST', '/v1/vat-codes', { code: 'O', name: 'Outside', rateBasisPoints: 0 });
  await stack.request('POST', '/v1/vat-codes', { code: 'OLD', name: 'Old', rateBasisPoints: 0 });
  await stack.request('POST', '/v1/vat-codes/OLD/disable', {});
  expect((await stack.request('POST', '/v1/funds', fund({ code: 'BASE' }))).status).toBe(201);
});

describe('codes, names and money', () => {
  it('refuses codes that are not upper-case tokens, and offices that are not two letters', async () => {
    await refused('/v1/funds', fund({ code: 'ctax' }), ['body.code']);
    await refused('/v1/funds', fund({ code: 'A'.repeat(21) }), ['body.code']);
    await refused('/v1/offices', { code: 'ABC', name: 'Office' }, ['body.code']);
    await refused('/v1/offices', { code: 'A1', name: 'Office' }, ['body.code']);
  });

  it('refuses unknown and missing fields', async () => {
    await refused('/v1/offices', { code: 'AB', name: 'Office', colour: 'red' }, ['body']);
    await refused('/v1/offices', { code: 'AB' }, ['body.name']);
  });

  it('refuses money that is not whole, non-negative, safe pence', async () => {
    await refused('/v1/funds', fund({ maxPence: 10.5 }), ['body.maxPence']);
    await refused('/v1/funds', fund({ maxPence: '100' }), ['body.maxPence']);
    await refused('/v1/funds', fund({ maxPence: 0 }), ['body.maxPence']);
    await refused('/v1/methods-of-payment', { code: 'M', name: 'M', minPence: -1, maxPence: 5 }, [
      'body.minPence',
    ]);
    await refused(
      '/v1/methods-of-payment',
      { code: 'M', name: 'M', minPence: 0, maxPence: 2 ** 53 },
      ['body.maxPence'],
    );
  });
});

describe('a fund’s VAT code and validator', () => {
  it('needs an existing, enabled VAT code', async () => {
    await refused('/v1/funds', fund({ vatCode: 'NOPE' }), ['body.vatCode']);
    await refused('/v1/funds', fund({ vatCode: 'OLD' }), ['body.vatCode']);
    const patch = await expectNothingWritten(stack, () =>
      stack.request('PATCH', '/v1/funds/BASE', { vatCode: 'NOPE' }),
    );
    expectProblem(patch, 400, ['body.vatCode']);
  });

  it('refuses a pattern that does not compile, and odd mask characters', async () => {
    const response = await refused('/v1/funds', fund({ validator: { pattern: '56(\\d{7}' } }), [
      'body.validator.pattern',
    ]);
    expect(response.body.errors[0].message).toMatch(/regular expression/);
    await refused('/v1/funds', fund({ validator: { mask: '##\u00e9##' } }), [
      'body.validator.mask',
    ]);
    await refused('/v1/funds', fund({ validator: { mask: '##@#@' } }), ['body.validator.mask']);
  });

  it('refuses lengths the wrong way round, and a mask no length allows', async () => {
    await refused('/v1/funds', fund({ validator: { minLength: 9, maxLength: 8 } }), [
      'body.validator.minLength',
    ]);
    await refused(
      '/v1/funds',
      fund({ validator: { minLength: 9, maxLength: 9, mask: '########' } }),
      ['body.validator.mask'],
    );
  });

  it('refuses a check-digit scheme that makes no sense', async () => {
    const checkDigit = (extra: Record<string, unknown>) =>
      fund({ validator: { checkDigit: { ...weighted, ...extra } } });
    await refused('/v1/funds', checkDigit({ modulus: 1 }), ['body.validator.checkDigit.modulus']);
    await refused('/v1/funds', checkDigit({ weights: [1, -2] }), [
      'body.validator.checkDigit.weights[1]',
    ]);
    await refused('/v1/funds', checkDigit({ weights: [1, 2.5] }), [
      'body.validator.checkDigit.weights[1]',
    ]);
    await refused('/v1/funds', checkDigit({ resultSubstitutions: { X: 'A' } }), [
      'body.validator.checkDigit.resultSubstitutions.X',
    ]);
    await refused('/v1/funds', checkDigit({ kind: 'crc' }), ['body.validator.checkDigit.kind']);
    await refused('/v1/funds', fund({ validator: { colour: 'red' } }), ['body.validator']);
  });

  it('accepts the worked example scheme, and a PATCH replaces the validator whole', async () => {
    const validator = {
      mask: 'BJ#######@',
      checkDigit: {
        ...weighted,
        weights: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        sourceSubstitution: '05',
        resultSubstitutions: { '10': 'A' },
      },
    };
    expect((await stack.request('PATCH', '/v1/funds/BASE', { validator })).body.validator).toEqual(
      validator,
    );
  });
});

describe('a fund’s pattern and example references (issue 19)', () => {
  const rents = (validator: Record<string, unknown>) =>
    fund({ code: 'RENTS', validator: { minLength: 11, maxLength: 11, ...validator } });

  it('refuses the broken pattern 6[0-9]{10, which would refuse every rent reference', async () => {
    // Lenient JavaScript reads `{10` as the text "{10", so this compiles and matches nothing
    // a council issues; it used to be saved.
    const response = await refused('/v1/funds', rents({ pattern: '6[0-9]{10' }), [
      'body.validator.pattern',
    ]);
    expect(response.body.errors[0].message).toMatch(/regular expression.*Incomplete quantifier/);
    const patched = await expectNothingWritten(stack, () =>
      stack.request('PATCH', '/v1/funds/BASE', { validator: { pattern: '6[0-9]{10' } }),
    );
    expectProblem(patched, 400, ['body.validator.pattern']);
  });

  it('refuses a pattern that escapes its anchoring', async () => {
    await refused('/v1/funds', rents({ pattern: '6\\d{10})|(.*', examples: ['61234567891'] }), [
      'body.validator.pattern',
    ]);
  });

  it('needs an example with a pattern, and every example must pass the validator', async () => {
    await refused('/v1/funds', rents({ pattern: '6\\d{10}' }), ['body.validator.examples']);
    const response = await refused(
      '/v1/funds',
      rents({ pattern: '6\\d{11}', examples: ['61234567891'] }),
      ['body.validator.pattern'],
    );
    expect(response.body.errors[0].message).toBe(
      'does not accept the example "61234567891": Reference is not in the expected format',
    );
    await refused(
      '/v1/funds',
      rents({ pattern: '6\\d{10}', checkDigit: { kind: 'luhn' }, examples: ['61234567890'] }),
      ['body.validator.checkDigit'],
    );
    await refused('/v1/funds', rents({ examples: ['612345678'] }), ['body.validator.minLength']);
    await refused('/v1/funds', rents({ characterClass: 'digits', examples: ['6123456789A'] }), [
      'body.validator.characterClass',
    ]);
    await refused('/v1/funds', rents({ examples: ['   '] }), ['body.validator.examples[0]']);
  });

  it('saves a pattern with a passing example, trimmed and in any case', async () => {
    const validator = {
      minLength: 11,
      maxLength: 11,
      pattern: '6\\d{10}',
      checkDigit: { kind: 'luhn' },
      examples: [' 61234567891 '],
    };
    const created = await stack.request('POST', '/v1/funds', fund({ code: 'RENTS', validator }));
    expect(created.status).toBe(201);
    expect(created.body.validator.examples).toEqual(['61234567891']);
    const tried = await stack.request('POST', '/v1/references/validate', {
      fundCode: 'RENTS',
      reference: '61234567891',
      amountPence: 100,
    });
    expect(tried.body.valid).toBe(true);
  });

  it('accepts a Dynix check digit and the character classes with spaces', async () => {
    const libraryCard = {
      characterClass: 'digitsWithSpaces',
      checkDigit: {
        kind: 'dynix',
        modulus: 10,
        weights: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0],
      },
      examples: ['21234000567899'],
    };
    const created = await stack.request(
      'POST',
      '/v1/funds',
      fund({ code: 'LIBFINES', validator: libraryCard }),
    );
    expect(created.status).toBe(201);
    expect(created.body.validator).toEqual(libraryCard);
    await refused(
      '/v1/funds',
      fund({ validator: { ...libraryCard, examples: ['21234000567890'] } }),
      ['body.validator.checkDigit'],
    );
    // A Dynix check digit never subtracts: the field is refused, not ignored.
    await refused(
      '/v1/funds',
      fund({
        validator: { checkDigit: { ...libraryCard.checkDigit, subtractFromModulus: true } },
      }),
      ['body.validator.checkDigit'],
    );
    for (const characterClass of ['lettersWithSpaces', 'alphanumericWithSpaces']) {
      const changed = await stack.request('PATCH', '/v1/funds/BASE', {
        validator: { characterClass },
      });
      expect(changed.body.validator, characterClass).toEqual({ characterClass });
    }
    await refused('/v1/funds', fund({ validator: { characterClass: 'spaces' } }), [
      'body.validator.characterClass',
    ]);
  });

  it('still reads back a validator saved before these checks', async () => {
    const old = { pattern: '6[0-9]{10', minLength: 11, maxLength: 11 };
    await stack.database.sql`
      insert into funds (code, name, validator, vat_code, max_pence, ledger_code, cost_centre)
      values ('OLDRENT', 'Old rents', ${JSON.stringify(old)}::jsonb, 'O', 1000, 'L1', 'C1')`;
    const read = await stack.request('GET', '/v1/funds/OLDRENT');
    expect(read.status).toBe(200);
    expect(read.body.validator).toEqual(old);
    // The fund screen's "try a reference" shows what such a pattern does to a good reference.
    const tried = await stack.request('POST', '/v1/references/explain', {
      fundCode: 'OLDRENT',
      reference: '61234567891',
    });
    expect(tried.body).toMatchObject({ valid: false, failure: { step: 'pattern' } });
  });
});

describe('fund groups and reference routes', () => {
  it('refuses a group naming an unknown fund, naming its index', async () => {
    await refused('/v1/fund-groups', { code: 'G', name: 'G', fundCodes: ['BASE', 'NOPE'] }, [
      'body.fundCodes[1]',
    ]);
  });

  it('refuses routes with a bad pattern or an unknown fund, keeping the old list', async () => {
    const put = (routes: unknown) =>
      expectNothingWritten(stack, () => stack.request('PUT', '/v1/reference-routes', { routes }));
    expectProblem(await put([{ fundCode: 'BASE', pattern: '[0-9' }]), 400, [
      'body.routes[0].pattern',
    ]);
    expectProblem(await put([{ fundCode: 'BASE', pattern: '6[0-9]{10' }]), 400, [
      'body.routes[0].pattern',
    ]);
    expectProblem(
      await put([
        { fundCode: 'BASE', pattern: '\\d+' },
        { fundCode: 'NOPE', pattern: 'x' },
      ]),
      400,
      ['body.routes[1].fundCode'],
    );
    expect((await stack.request('GET', '/v1/reference-routes')).body.routes).toEqual([]);
  });

  it('replaces the whole route list at once and audits before and after', async () => {
    const first = [{ fundCode: 'BASE', pattern: '\\d{8}' }];
    expect(
      (await stack.request('PUT', '/v1/reference-routes', { routes: first })).body.routes,
    ).toEqual(first);
    const second = [
      { fundCode: 'BASE', pattern: '9\\d{7}' },
      { fundCode: 'BASE', pattern: '\\d{8}' },
    ];
    await stack.request('PUT', '/v1/reference-routes', {
      routes: second,
      reason: 'narrower first',
    });
    expect((await stack.request('GET', '/v1/reference-routes')).body.routes).toEqual(second);
    const audit = await stack.request('GET', '/v1/audit?entityType=reference_routes');
    expect(audit.body.items[0]).toMatchObject({
      before: first,
      after: second,
      reason: 'narrower first',
    });
  });
});
