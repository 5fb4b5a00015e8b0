// Proves the fund screen's reference check as a browser without JavaScript uses it: "try a
// reference" (a GET form run through the explain API route) names the failing step and the
// expected check character; a broken pattern, a pattern without examples and an example the
// rules refuse are shown on the right input and nothing is saved (issue 19); a Dynix check
// digit and the character classes with spaces can be chosen; a seeded fund with a pattern
// saves again unchanged because it carries its example.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { errorSummary, inlineError, textOf, webClient } from './webHelpers';

const stack = useTestStack({ worker: false });
const page = webClient(stack);

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

const fundForm = (overrides: Record<string, string> = {}) => ({
  code: 'LIBFINES',
  name: 'Library fines',
  vatCode: 'O',
  maxPence: '100.00',
  ledgerCode: 'LF100',
  costCentre: 'LB100',
  'validator-minLength': '14',
  'validator-maxLength': '14',
  'validator-characterClass': 'digitsWithSpaces',
  'checkDigit-kind': 'dynix',
  'checkDigit-modulus': '10',
  'checkDigit-weights': '2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0',
  'validator-examples': '21234000567899',
  ...overrides,
});

/** The rows of the try-a-reference result: step name, verdict and detail, as text. */
function resultRows(html: string): string[] {
  const block = /<div id="try-result">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<div class="govuk-summary-list__row">([\s\S]*?)<\/div>/g)].map(
    (match) => textOf(match[1] ?? ''),
  );
}

describe('try a reference', () => {
  it('names the failing step and the expected check character', async () => {
    const tried = await page('GET', '/configuration/funds/PCN?tryReference=bj12345674');
    expect(tried.status).toBe(200);
    expect(tried.html).toContain(
      '<form method="get" action="/configuration/funds/PCN#try-reference"',
    );
    expect(tried.html).toContain('value="bj12345674"');
    expect(textOf(tried.html)).toContain('Refused: BJ12345674');
    expect(resultRows(tried.html)).toEqual([
      'Length Passed',
      'Characters allowed Passed',
      'Pattern Not set',
      'Mask Passed',
      'Check digit Refused Reference is not valid: check each character has been typed correctly Expected "3" at character 10; the reference has "4".',
    ]);
  });

  it('passes a valid reference, and names the pattern in its own words', async () => {
    const passes = await page('GET', '/configuration/funds/CTAX?tryReference=123456780');
    expect(textOf(passes.html)).toContain('Passes: 123456780 The reference passes every step.');
    const rent = await page('GET', '/configuration/funds/RENT?tryReference=71234567897');
    expect(resultRows(rent.html)).toContain('Pattern Refused Rent references start with 6');
    expect(resultRows(rent.html)).toContain('Check digit Not reached');
  });

  it('asks for a reference when the box is empty, and for a shorter one', async () => {
    const empty = await page('GET', '/configuration/funds/PCN?tryReference=');
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html)).toEqual([
      { href: '#tryReference', text: 'Enter a reference to try' },
    ]);
    expect(inlineError(empty.html, 'tryReference')).toBe('Enter a reference to try');
    const long = await page('GET', `/configuration/funds/PCN?tryReference=${'9'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(errorSummary(long.html).map((error) => error.href)).toEqual(['#tryReference']);
  });

  it('is not offered while adding a fund, nor to someone without configure', async () => {
    expect((await page('GET', '/configuration/funds/new')).html).not.toContain('tryReference');
    const viewer = await stack.keyFor('viewer', ['view']);
    const refused = await page('GET', '/configuration/funds/PCN?tryReference=BJ12345673', {
      headers: viewer,
    });
    expect(refused.status).toBe(403);
  });
});

describe('the reference check on the fund form', () => {
  it('refuses the broken pattern 6[0-9]{10 on its input, saving nothing', async () => {
    const broken = await page('POST', '/configuration/funds/new', {
      form: fundForm({
        code: 'RENTS',
        'validator-pattern': '6[0-9]{10',
        'validator-characterClass': 'digits',
        'validator-minLength': '11',
        'validator-maxLength': '11',
        'checkDigit-kind': 'luhn',
        'validator-examples': '61234567891',
      }),
    });
    expect(broken.status).toBe(400);
    expect(errorSummary(broken.html).map((error) => error.href)).toEqual(['#validator-pattern']);
    expect(inlineError(broken.html, 'validator-pattern')).toMatch(
      /^Pattern \(regular expression\) is not a valid regular expression/,
    );
    expect((await stack.request('GET', '/v1/funds/RENTS')).status).toBe(404);
  });

  it('asks for an example with a pattern, and names the setting that refuses one', async () => {
    const missing = await page('POST', '/configuration/funds/new', {
      form: fundForm({ 'validator-pattern': '2\\d{13}', 'validator-examples': '' }),
    });
    expect(missing.status).toBe(400);
    expect(inlineError(missing.html, 'validator-examples')).toBe(
      'Example references must hold at least one reference the pattern accepts',
    );
    const refused = await page('POST', '/configuration/funds/new', {
      form: fundForm({ 'validator-examples': '21234000567899, 21234000567890' }),
    });
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.html)).toEqual([
      {
        href: '#checkDigit-kind',
        text: 'Check digit does not accept the example "21234000567890": Reference is not valid: check each character has been typed correctly',
      },
    ]);
  });

  it('refuses Dynix settings it has no use for before asking the API', async () => {
    const local = await page('POST', '/configuration/funds/new', {
      form: fundForm({ 'checkDigit-subtractFromModulus': 'true', 'checkDigit-modulus': '' }),
    });
    expect(local.status).toBe(400);
    expect(errorSummary(local.html).map((error) => error.href)).toEqual([
      '#checkDigit-subtractFromModulus',
      '#checkDigit-modulus',
    ]);
  });

  it('creates a fund with a Dynix check digit, digits with spaces and its example', async () => {
    const created = await page('POST', '/configuration/funds/new', { form: fundForm() });
    expect(created.status, JSON.stringify(errorSummary(created.html))).toBe(303);
    const fund = await stack.request('GET', '/v1/funds/LIBFINES');
    expect(fund.body.validator).toEqual({
      minLength: 14,
      maxLength: 14,
      characterClass: 'digitsWithSpaces',
      checkDigit: {
        kind: 'dynix',
        modulus: 10,
        weights: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0],
      },
      examples: ['21234000567899'],
    });
    const form = await page('GET', '/configuration/funds/LIBFINES');
    expect(form.html).toMatch(/<option value="dynix" selected/);
    expect(form.html).toMatch(/<option value="digitsWithSpaces" selected/);
    expect(form.html).toContain('value="21234000567899"');
    const tried = await page('GET', '/configuration/funds/LIBFINES?tryReference=21234000567890');
    expect(textOf(tried.html)).toContain('Expected "9" at character 14; the reference has "0".');
  });

  it('saves a seeded fund with a pattern again unchanged, because it carries its example', async () => {
    const form = await page('GET', '/configuration/funds/NNDR');
    expect(form.html).toContain('value="561234566"');
    const saved = await page('POST', '/configuration/funds/NNDR', {
      form: {
        name: 'Business rates',
        vatCode: 'O',
        maxPence: '1000000.00',
        ledgerCode: 'L1200',
        costCentre: 'RV200',
        'validator-minLength': '9',
        'validator-maxLength': '9',
        'validator-characterClass': 'digits',
        'validator-pattern': '56\\d{7}',
        'validator-patternDescription': 'Business rates references start with 56',
        'validator-mask': '56######@',
        'checkDigit-kind': 'weighted',
        'checkDigit-modulus': '10',
        'checkDigit-weights': '7, 3, 1, 7, 3, 1, 7, 3, 0',
        'checkDigit-subtractFromModulus': 'true',
        'checkDigit-resultSubstitutions': '10=0',
        'validator-examples': '561234566',
      },
    });
    expect(saved.status).toBe(303);
  });
});

describe('shared reference checks on screen', () => {
  const checkForm = (overrides: Record<string, string> = {}) => ({
    code: 'LIBCARD',
    name: 'Library card',
    'validator-minLength': '6',
    'validator-maxLength': '6',
    'validator-characterClass': 'digits',
    ...overrides,
  });

  it('sets one up, lets funds follow it, and lists them before a change is saved', async () => {
    const created = await page('POST', '/configuration/reference-checks/new', {
      form: checkForm(),
    });
    expect(created.status, JSON.stringify(errorSummary(created.html))).toBe(303);
    for (const code of ['LIBA', 'LIBB']) {
      const fund = await page('POST', '/configuration/funds/new', {
        form: fundForm({
          code,
          name: `Library ${code}`,
          validatorCode: 'LIBCARD',
          'validator-examples': '',
        }),
      });
      expect(fund.status, fund.html).toBe(303);
    }
    const edit = await page('GET', '/configuration/reference-checks/LIBCARD');
    expect(
      textOf(
        /<div class="govuk-warning-text" id="followers">([\s\S]*?)<\/ul>/.exec(edit.html)?.[1] ??
          '',
      ),
    ).toBe(
      '! Warning Saving changes the reference check of 2 funds at once: Library LIBA (LIBA) Library LIBB (LIBB)',
    );
    const fundPage = await page('GET', '/configuration/funds/LIBA');
    expect(fundPage.html).toMatch(/<option value="LIBCARD" selected>/);

    const saved = await page('POST', '/configuration/reference-checks/LIBCARD', {
      form: checkForm({ 'validator-minLength': '7', 'validator-maxLength': '7' }),
    });
    expect(saved.status).toBe(303);
    const fund = await stack.request('GET', '/v1/funds/LIBB');
    expect(fund.body.validator).toMatchObject({ minLength: 7, maxLength: 7 });

    // Choosing None gives the fund its own copy, which it may then change.
    const own = await page('POST', '/configuration/funds/LIBB', {
      form: fundForm({
        code: 'LIBB',
        name: 'Library LIBB',
        validatorCode: '',
        'validator-examples': '',
      }),
    });
    expect(own.status, own.html).toBe(303);
    expect((await stack.request('GET', '/v1/funds/LIBB')).body.validatorCode).toBeNull();
  });

  it('refuses to disable a check that funds follow, saying which', async () => {
    const refused = await page('POST', '/configuration/reference-checks/LIBCARD/disable', {
      form: {},
    });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(errorSummary(refused.html))).toContain('LIBA');
  });
});
