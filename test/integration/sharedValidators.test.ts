// Proves shared reference checks (issue 17 item 2): a council configures its "council tax
// reference" rule once, several funds follow it by name, and one audited change moves them all,
// with the funds it affects listed before and after. A fund follows exactly one source.
import { beforeAll, describe, expect, it } from 'vitest';
import { providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { demoCouncil } from '../../domain/demoCouncil';
import { keyInCouncil } from '../harness/councils';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const admin = { 'X-Actor': 'jo.admin' };

const eightDigits = { minLength: 8, maxLength: 8, characterClass: 'digits' };
const nineDigits = { minLength: 9, maxLength: 9, characterClass: 'digits' };

const fund = (code: string, extra: Record<string, unknown>) => ({
  code,
  name: `Fund ${code}`,
  vatCode: 'OUT',
  maxPence: 100_000,
  ledgerCode: 'L100',
  costCentre: 'CC100',
  reason: 'setup',
  ...extra,
});

const validate = (fundCode: string, reference: string) =>
  stack.request('POST', '/v1/references/validate', { fundCode, reference, amountPence: 100 });

beforeAll(async () => {
  const vat = await stack.request(
    'POST',
    '/v1/vat-codes',
    { code: 'OUT', name: 'Outside scope', rateBasisPoints: 0 },
    admin,
  );
  expect(vat.status).toBe(201);
  const shared = await stack.request(
    'POST',
    '/v1/reference-validators',
    { code: 'CTREF', name: 'Council tax reference', validator: eightDigits, reason: 'setup' },
    admin,
  );
  expect(shared.status).toBe(201);
  expect(shared.body).toMatchObject({ code: 'CTREF', fundCodes: [] });
  for (const code of ['CTAXA', 'CTAXB']) {
    const created = await stack.request(
      'POST',
      '/v1/funds',
      fund(code, { validatorCode: 'CTREF' }),
      admin,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ validatorCode: 'CTREF', validator: eightDigits });
  }
});

describe('sharedValidators.happy', () => {
  it('lists the funds that follow a shared check', async () => {
    const read = await stack.request('GET', '/v1/reference-validators/CTREF');
    expect(read.status).toBe(200);
    expect(read.body.fundCodes).toEqual(['CTAXA', 'CTAXB']);
  });

  it('changes every following fund in one audited change', async () => {
    expect((await validate('CTAXA', '12345678')).body.valid).toBe(true);
    const changed = await stack.request(
      'PATCH',
      '/v1/reference-validators/CTREF',
      { validator: nineDigits, reason: 'references grew a digit' },
      admin,
    );
    expect(changed.status).toBe(200);
    for (const code of ['CTAXA', 'CTAXB']) {
      expect((await validate(code, '12345678')).body).toMatchObject({
        valid: false,
        code: 'too_short',
      });
      expect((await validate(code, '123456789')).body.valid).toBe(true);
      const read = await stack.request('GET', `/v1/funds/${code}`);
      expect(read.body).toMatchObject({ validatorCode: 'CTREF', validator: nineDigits });
    }
    const audit = await stack.request(
      'GET',
      '/v1/audit?entityType=reference_validator&entityId=CTREF',
    );
    const update = audit.body.items.find(
      (row: { action: string }) => row.action === 'reference_validator.update',
    );
    expect(update).toMatchObject({
      actor: 'jo.admin',
      reason: 'references grew a digit',
      before: { validator: eightDigits, fundCodes: ['CTAXA', 'CTAXB'] },
      after: { validator: nineDigits, fundCodes: ['CTAXA', 'CTAXB'] },
    });
  });

  it('lets a fund leave a shared check, keeping the rules it had, and take its own', async () => {
    await stack.request(
      'POST',
      '/v1/funds',
      fund('LEAVER', { validatorCode: 'CTREF', name: 'Leaver' }),
      admin,
    );
    const left = await stack.request(
      'PATCH',
      '/v1/funds/LEAVER',
      { validatorCode: null, reason: 'its own rules from now' },
      admin,
    );
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ validatorCode: null, validator: nineDigits });
    const own = await stack.request('PATCH', '/v1/funds/LEAVER', { validator: eightDigits }, admin);
    expect(own.body.validator).toEqual(eightDigits);
    // A later change to the shared check no longer reaches it.
    const shared = await stack.request('GET', '/v1/reference-validators/CTREF');
    expect(shared.body.fundCodes).not.toContain('LEAVER');
    // And it can join one again, taking the shared rules at once.
    const joined = await stack.request(
      'PATCH',
      '/v1/funds/LEAVER',
      { validatorCode: 'CTREF' },
      admin,
    );
    expect(joined.body).toMatchObject({ validatorCode: 'CTREF', validator: nineDigits });
  });
});

describe('sharedValidators.error', () => {
  it('refuses a fund with both its own check and a shared one, or with neither', async () => {
    await expectNothingWritten(stack, async () => {
      const both = await stack.request(
        'POST',
        '/v1/funds',
        fund('BOTH', { validatorCode: 'CTREF', validator: eightDigits }),
        admin,
      );
      expectProblem(both, 400, ['body.validator']);
      const neither = await stack.request('POST', '/v1/funds', fund('NEITHER', {}), admin);
      expectProblem(neither, 400, ['body.validator']);
    });
  });

  it('refuses a shared check that does not exist, naming the field', async () => {
    const response = await stack.request(
      'POST',
      '/v1/funds',
      fund('GHOST', { validatorCode: 'NOPE' }),
      admin,
    );
    expectProblem(response, 400, ['body.validatorCode']);
  });

  it("refuses changing a following fund's own rules: the shared check is the one place", async () => {
    const response = await stack.request(
      'PATCH',
      '/v1/funds/CTAXA',
      { validator: eightDigits },
      admin,
    );
    expectProblem(response, 409, ['body.validator']);
    expect(response.body.detail).toContain('CTREF');
  });

  it('refuses disabling a shared check that funds follow, naming them', async () => {
    const response = await stack.request(
      'POST',
      '/v1/reference-validators/CTREF/disable',
      { reason: 'tidy' },
      admin,
    );
    expectProblem(response, 409, ['params.code']);
    expect(response.body.detail).toContain('CTAXA');
  });

  it('refuses a shared check whose examples fail its own rules', async () => {
    const response = await stack.request(
      'POST',
      '/v1/reference-validators',
      {
        code: 'BADEX',
        name: 'Bad examples',
        validator: { ...eightDigits, examples: ['1234'] },
      },
      admin,
    );
    expect(response.status).toBe(400);
  });
});

describe('sharedValidators.bundle: onboarding', () => {
  const bundleWith = (id: string, validatorCode: string) => {
    const bundle = demoCouncilBundle({ id, name: `${id} council` }, demoCouncil);
    const [first, ...rest] = bundle.funds;
    if (first === undefined) throw new Error('the demo bundle has funds');
    const { validator: _own, ...shared } = first as typeof first & { validator?: unknown };
    return {
      ...bundle,
      referenceValidators: [{ code: 'SHARED', name: 'Shared check', validator: nineDigits }],
      funds: [{ ...shared, validatorCode }, ...rest],
    };
  };

  it('onboards funds that follow a shared check, which only their council sees', async () => {
    const provider = await keyInCouncil(stack, providerCouncilId, ['provider']);
    const bundle = bundleWith('sharedcheck', 'SHARED');
    const onboarded = await stack.request('POST', '/v1/provider/councils', bundle, provider);
    expect(onboarded.status, onboarded.text).toBe(201);
    const council = await keyInCouncil(stack, 'sharedcheck');
    const shared = await stack.request(
      'GET',
      '/v1/reference-validators/SHARED',
      undefined,
      council,
    );
    expect(shared.body.fundCodes).toEqual([bundle.funds[0]?.code]);
    // The default council has no such check, and cannot reach this one.
    expect((await stack.request('GET', '/v1/reference-validators/SHARED')).status).toBe(404);
  });

  it('refuses a bundle whose fund names a shared check it does not define', async () => {
    const provider = await keyInCouncil(stack, providerCouncilId, ['provider']);
    const refused = await stack.request(
      'POST',
      '/v1/provider/councils',
      bundleWith('sharedghost', 'GHOST'),
      provider,
    );
    expect(refused.status, refused.text).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('funds[0].validatorCode');
  });
});
