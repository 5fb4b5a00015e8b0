// Proves the configuration and audit screens on the real stack, used as a browser without
// JavaScript would: funds (with their reference check), fund groups, methods of payment, VAT
// codes and import rules created, changed, disabled and enabled through the generic API routes,
// with the API's refusals shown on the right input; staff accounts (permissions, fund groups,
// passwords, disabling) and API keys (the secret shown once, revoking); the audit trail searched
// by actor, action prefix, entity and date, including the API's new actor and action filters.
// Only `configure` opens configuration and only `audit.read` opens the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';
import { errorSummary, h1Of, inlineError, textOf, webClient } from './webHelpers';

const stack = useTestStack({ worker: false });
const page = webClient(stack);

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

const fundForm = (overrides: Record<string, string> = {}) => ({
  code: 'GARDEN',
  name: 'Garden waste',
  vatCode: 'O',
  maxPence: '500.00',
  ledgerCode: 'GW100',
  costCentre: 'CC42',
  'validator-minLength': '8',
  'validator-maxLength': '8',
  'validator-characterClass': 'digits',
  'checkDigit-kind': 'luhn',
  reason: 'New service from April',
  ...overrides,
});

/** Posts a form whose fields repeat (checkboxes), which a plain object cannot say. */
async function postPairs(path: string, pairs: [string, string][], as?: string) {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    body: new URLSearchParams(pairs).toString(),
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      Accept: 'text/html',
      ...(await stack.authHeaders(as)),
    },
  });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
  };
}

describe('configuration hub', () => {
  it('links every area, each page opens, and all are refused without configure', async () => {
    const hub = await page('GET', '/configuration');
    expect(hub.status).toBe(200);
    expect(h1Of(hub.html)).toBe('Configuration');
    for (const slug of [
      'funds',
      'fund-groups',
      'methods-of-payment',
      'vat-codes',
      'import-rules',
    ]) {
      expect(hub.html).toContain(`href="/configuration/${slug}"`);
    }
    const viewer = await stack.keyFor('viewer', ['view']);
    expect((await page('GET', '/configuration', { headers: viewer })).status).toBe(403);
    expect((await page('GET', '/configuration/funds/CTAX', { headers: viewer })).status).toBe(403);
    expect(
      (await page('POST', '/configuration/funds/CTAX/disable', { form: {}, headers: viewer }))
        .status,
    ).toBe(403);
    expect((await page('GET', '/configuration/users', { headers: viewer })).status).toBe(403);
  });
});

describe('funds', () => {
  it('creates a fund with its reference check', async () => {
    const form = await page('GET', '/configuration/funds/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('id="checkDigit-kind"');
    const created = await page('POST', '/configuration/funds/new', { form: fundForm() });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/configuration/funds/GARDEN?notice=created');
    const fund = await stack.request('GET', '/v1/funds/GARDEN');
    expect(fund.body).toMatchObject({
      name: 'Garden waste',
      vatCode: 'O',
      maxPence: 50_000,
      isSuspense: false,
      validator: {
        minLength: 8,
        maxLength: 8,
        characterClass: 'digits',
        checkDigit: { kind: 'luhn' },
      },
    });
    const audit = await stack.request('GET', '/v1/audit?entityType=fund&entityId=GARDEN');
    expect(audit.body.items[0]).toMatchObject({
      action: 'fund.create',
      reason: 'New service from April',
    });
    const list = await page('GET', '/configuration/funds');
    expect(list.html).toContain('href="/configuration/funds/GARDEN"');
  });

  it('names the inputs to fix: its own checks first, then the API’s', async () => {
    const local = await page('POST', '/configuration/funds/new', {
      form: fundForm({ code: 'BAD', name: '', maxPence: '12.345', 'checkDigit-kind': 'weighted' }),
    });
    expect(local.status).toBe(400);
    expect(errorSummary(local.html).map((error) => error.href)).toEqual([
      '#name',
      '#maxPence',
      '#checkDigit-modulus',
      '#checkDigit-weights',
    ]);
    expect(inlineError(local.html, 'maxPence')).toBe(
      'Largest single payment must not have more than 2 decimal places',
    );
    // Kept as typed, so nothing has to be entered twice.
    expect(local.html).toContain('value="12.345"');

    const api = await page('POST', '/configuration/funds/new', {
      form: fundForm({ code: 'bad code', vatCode: 'ZZ', 'validator-minLength': '9' }),
    });
    expect(api.status).toBe(400);
    const hrefs = errorSummary(api.html).map((error) => error.href);
    expect(hrefs).toContain('#code');
    expect(hrefs).toContain('#validator-minLength');

    const duplicate = await page('POST', '/configuration/funds/new', { form: fundForm() });
    expect(duplicate.status).toBe(409);
    expect(errorSummary(duplicate.html).length).toBeGreaterThan(0);
  });

  it('changes a fund, keeping what the form shows', async () => {
    const form = await page('GET', '/configuration/funds/GARDEN');
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Garden waste"');
    expect(form.html).toContain('value="500.00"');
    const changed = await page('POST', '/configuration/funds/GARDEN', {
      form: fundForm({ name: 'Garden waste collection', 'checkDigit-kind': '', reason: 'Rename' }),
    });
    expect(changed.status).toBe(303);
    const fund = await stack.request('GET', '/v1/funds/GARDEN');
    expect(fund.body.name).toBe('Garden waste collection');
    expect(fund.body.validator.checkDigit).toBeUndefined();
    const shown = await page('GET', changed.location ?? '');
    expect(textOf(shown.html)).toContain('Your changes have been saved.');
  });

  it('disables and enables a fund, and says why the suspense fund cannot be disabled', async () => {
    const disabled = await page('POST', '/configuration/funds/GARDEN/disable', {
      form: { toggleReason: 'Service paused' },
    });
    expect(disabled.status).toBe(303);
    expect((await stack.request('GET', '/v1/funds/GARDEN')).body.disabled).toBe(true);
    const list = await page('GET', '/configuration/funds');
    expect(textOf(list.html)).toMatch(/GARDEN Garden waste collection .* Disabled/);
    const enabled = await page('POST', '/configuration/funds/GARDEN/enable', { form: {} });
    expect(enabled.status).toBe(303);
    expect((await stack.request('GET', '/v1/funds/GARDEN')).body.disabled).toBe(false);

    const suspense = await page('POST', '/configuration/funds/SUSP/disable', { form: {} });
    expect(suspense.status).toBe(409);
    expect(textOf(suspense.html)).toContain('The suspense fund cannot be disabled');
  });
});

describe('other configuration', () => {
  it('creates a VAT code from a percentage and a method of payment from £0', async () => {
    const vat = await page('POST', '/configuration/vat-codes/new', {
      form: { code: 'R', name: 'Reduced', rate: '17.5' },
    });
    expect(vat.status).toBe(303);
    expect((await stack.request('GET', '/v1/vat-codes/R')).body.rateBasisPoints).toBe(1_750);
    const shown = await page('GET', '/configuration/vat-codes/R');
    expect(shown.html).toContain('value="17.5"');
    const badRate = await page('POST', '/configuration/vat-codes/new', {
      form: { code: 'Q', name: 'Odd', rate: 'lots' },
    });
    expect(errorSummary(badRate.html)).toEqual([
      { href: '#rate', text: 'Rate must be a percentage, for example 20 or 17.5' },
    ]);

    const method = await postPairs('/configuration/methods-of-payment/new', [
      ['code', 'KIOSK'],
      ['name', 'Kiosk'],
      ['minPence', '0'],
      ['maxPence', '250'],
      ['isCard', 'true'],
      ['isRefundable', 'true'],
    ]);
    expect(method.status).toBe(303);
    expect((await stack.request('GET', '/v1/methods-of-payment/KIOSK')).body).toMatchObject({
      minPence: 0,
      maxPence: 25_000,
      isCard: true,
      isCash: false,
      isRefundable: true,
    });
    const reversed = await page('POST', '/configuration/methods-of-payment/KIOSK', {
      form: { name: 'Kiosk', minPence: '300', maxPence: '250' },
    });
    expect(reversed.status).toBe(400);
    expect(errorSummary(reversed.html)[0]?.href).toBe('#minPence');
  });

  it('groups funds chosen by checkbox', async () => {
    const created = await postPairs('/configuration/fund-groups/new', [
      ['code', 'PARKING'],
      ['name', 'Parking'],
      ['fundCodes', 'PCN'],
      ['fundCodes', 'FPN'],
    ]);
    expect(created.status).toBe(303);
    const group = await stack.request('GET', '/v1/fund-groups/PARKING');
    expect([...group.body.fundCodes].sort()).toEqual(['FPN', 'PCN']);
    const form = await page('GET', '/configuration/fund-groups/PARKING');
    expect(form.html).toMatch(/value="PCN" checked/);
  });

  it('builds an import rule from condition groups, pointing a bad pattern at its input', async () => {
    const form = await page('GET', '/configuration/import-rules/new');
    expect(form.html).toContain('id="g0c0field"');
    const created = await page('POST', '/configuration/import-rules/new', {
      form: {
        id: 'GARDEN_REFS',
        name: 'Garden waste references',
        position: '10',
        g0c0field: 'reference',
        g0c0operator: 'startsWith',
        g0c0value: 'GW',
        g0c1field: 'amountPence',
        g0c1operator: 'greaterThan',
        g0c1value: '100',
        g1c0field: 'narrative',
        g1c0operator: 'contains',
        g1c0value: 'GARDEN',
        setFundCode: 'GARDEN',
        stopProcessing: 'true',
      },
    });
    expect(created.status).toBe(303);
    const rule = await stack.request('GET', '/v1/import-rules/GARDEN_REFS');
    expect(rule.body).toMatchObject({
      position: 10,
      conditionGroups: [
        [
          { field: 'reference', operator: 'startsWith', value: 'GW' },
          { field: 'amountPence', operator: 'greaterThan', value: '100' },
        ],
        [{ field: 'narrative', operator: 'contains', value: 'GARDEN' }],
      ],
      actions: { setFundCode: 'GARDEN' },
      stopProcessing: true,
    });
    const edit = await page('GET', '/configuration/import-rules/GARDEN_REFS');
    expect(edit.html).toContain('value="GW"');
    expect(edit.html).toContain('id="g2c0field"'); // a spare group to add conditions to

    const bad = await page('POST', '/configuration/import-rules/new', {
      form: {
        id: 'BROKEN',
        name: 'Broken',
        position: '1',
        g0c0field: 'reference',
        g0c0operator: 'startsWith',
        g0c0value: 'A',
        g1c0field: 'reference',
        g1c0operator: 'matches',
        g1c0value: '(',
      },
    });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.html).map((error) => error.href)).toContain('#g1c0value');
    const noOperator = await page('POST', '/configuration/import-rules/new', {
      form: { id: 'HALF', name: 'Half', position: '1', g0c0field: 'reference', g0c0value: 'A' },
    });
    expect(errorSummary(noOperator.html)).toEqual([
      { href: '#g0c0operator', text: 'Choose how the condition compares' },
    ]);
  });
});

describe('users', () => {
  let userId = '';

  it('creates a user with permissions and every fund group', async () => {
    const form = await page('GET', '/configuration/users/new');
    expect(form.html).toContain('Approve or reject a refund someone else requested');
    const created = await postPairs('/configuration/users/new', [
      ['username', 'dana'],
      ['displayName', 'Dana Clerk'],
      ['email', 'dana@council.example'],
      ['password', 'correct horse battery staple'],
      ['permissions', 'view'],
      ['permissions', 'import'],
      ['fundGroups', '*'],
    ]);
    expect(created.status).toBe(303);
    userId = /^\/configuration\/users\/(usr_[0-9a-z]{20})\?notice=created$/.exec(
      created.location ?? '',
    )?.[1] as string;
    const user = await stack.request('GET', `/v1/users/${userId}`);
    expect(user.body).toMatchObject({
      username: 'dana',
      permissions: ['view', 'import'],
      fundGroups: null,
      hasPassword: true,
    });
  });

  it('refuses a short password and a taken username on their inputs', async () => {
    const weak = await postPairs('/configuration/users/new', [
      ['username', 'eve'],
      ['displayName', 'Eve'],
      ['password', 'short'],
      ['permissions', 'view'],
    ]);
    expect(weak.status).toBe(400);
    expect(errorSummary(weak.html)[0]?.href).toBe('#password');
    const taken = await postPairs('/configuration/users/new', [
      ['username', 'dana'],
      ['displayName', 'Another Dana'],
      ['permissions', 'view'],
    ]);
    expect(taken.status).toBe(409);
  });

  it('limits a user to chosen fund groups, sets a password and disables the account', async () => {
    const edit = await page('GET', `/configuration/users/${userId}`);
    expect(edit.html).toMatch(/value="\*" checked/);
    const limited = await postPairs(`/configuration/users/${userId}`, [
      ['displayName', 'Dana Clerk'],
      ['email', ''],
      ['permissions', 'view'],
      ['fundGroups', 'PARKING'],
      ['reason', 'Moved to parking'],
    ]);
    expect(limited.status).toBe(303);
    expect((await stack.request('GET', `/v1/users/${userId}`)).body).toMatchObject({
      permissions: ['view'],
      fundGroups: ['PARKING'],
      email: null,
    });
    expect((await page('GET', `/configuration/users/${userId}/password`)).status).toBe(200);
    const password = await page('POST', `/configuration/users/${userId}/password`, {
      form: { password: 'another long passphrase' },
    });
    expect(password.status).toBe(303);
    const disabled = await page('POST', `/configuration/users/${userId}/disable`, {
      form: { toggleReason: 'Left the council' },
    });
    expect(disabled.status).toBe(303);
    expect((await stack.request('GET', `/v1/users/${userId}`)).body.disabled).toBe(true);
    const list = await page('GET', '/configuration/users');
    expect(textOf(list.html)).toMatch(/dana Dana Clerk .* Disabled/);
  });
});

describe('API keys', () => {
  it('shows a new key’s secret once, which works until it is revoked', async () => {
    const none = await postPairs('/configuration/api-keys/new', [
      ['principal', 'kiosk-1'],
      ['description', 'Town hall kiosk'],
      ['expiresDay', '31'],
      ['expiresMonth', '2'],
      ['expiresYear', '2030'],
    ]);
    expect(none.status).toBe(400);
    expect(errorSummary(none.html).map((error) => error.href)).toEqual([
      '#expires',
      '#permissions',
    ]);

    const created = await postPairs('/configuration/api-keys/new', [
      ['principal', 'kiosk-1'],
      ['description', 'Town hall kiosk'],
      ['permissions', 'view'],
      ['fundGroups', 'PARKING'],
    ]);
    expect(created.status).toBe(201);
    expect(created.html).toContain('It is shown only on this page');
    const key = /id="api-key-secret" type="text" value="([^"]+)"/.exec(created.html)?.[1] ?? '';
    expect(key).not.toBe('');
    const used = await stack.request('GET', '/v1/funds', undefined, {
      Authorization: `Bearer ${key}`,
    });
    expect(used.status).toBe(200);

    const keys = await stack.request('GET', '/v1/api-keys');
    const keyId = keys.body.items.find(
      (item: { principal: string }) => item.principal === 'kiosk-1',
    ).keyId as string;
    const list = await page('GET', '/configuration/api-keys');
    expect(list.html).toContain(`href="/configuration/api-keys/${keyId}/revoke"`);
    expect(list.html).not.toContain(key);
    const confirm = await page('GET', `/configuration/api-keys/${keyId}/revoke`);
    expect(confirm.html).toContain('id="confirm-revoke"');
    const revoked = await page('POST', `/configuration/api-keys/${keyId}/revoke`, { form: {} });
    expect(revoked.status).toBe(303);
    const refused = await stack.request('GET', '/v1/funds', undefined, {
      Authorization: `Bearer ${key}`,
    });
    expect(refused.status).toBe(401);
  });
});

describe('audit trail', () => {
  it('filters by actor exactly and by action prefix, with LIKE wildcards taken literally', async () => {
    await stack.request('POST', '/v1/offices', { code: 'ZA', name: 'Zed A' }, { 'X-Actor': 'ann' });
    await stack.request(
      'PATCH',
      '/v1/offices/ZA',
      { name: 'Zed A2', reason: 'typo' },
      { 'X-Actor': 'ben' },
    );
    const byAnn = await stack.request('GET', '/v1/audit?actor=ann');
    expect(byAnn.body.items.map((item: { action: string }) => item.action)).toEqual([
      'office.create',
    ]);
    const offices = await stack.request('GET', '/v1/audit?action=office.');
    expect(new Set(offices.body.items.map((item: { action: string }) => item.action))).toEqual(
      new Set(['office.create', 'office.update']),
    );
    const updates = await stack.request('GET', '/v1/audit?action=office.upd&actor=ben');
    expect(updates.body.items).toHaveLength(1);
    const wildcard = await stack.request('GET', '/v1/audit?action=office_');
    expect(wildcard.body.items).toHaveLength(0);
    const percent = await stack.request('GET', '/v1/audit?action=%25');
    expect(percent.body.items).toHaveLength(0);
    expectProblem(await stack.request('GET', '/v1/audit?actor='), 400, ['query.actor']);
  });

  it('searches on screen, with the entity linked and dates as London business days', async () => {
    const all = await page('GET', '/audit?action=fund.');
    expect(all.status).toBe(200);
    expect(h1Of(all.html)).toBe('Audit trail');
    expect(all.html).toContain('href="/audit?entityType=fund&amp;entityId=GARDEN"');
    expect(textOf(all.html)).toContain('New service from April');
    expect(textOf(all.html)).not.toContain('office.create');

    const [year, month, day] = businessDateOf(Date.now()).split('-');
    const today = await page(
      'GET',
      `/audit?actor=ben&fromDay=${day}&fromMonth=${month}&fromYear=${year}&toDay=${day}&toMonth=${month}&toYear=${year}`,
    );
    expect(textOf(today.html)).toContain('office.update');
    const future = await page('GET', '/audit?actor=ben&fromDay=1&fromMonth=1&fromYear=2999');
    expect(future.html).toContain('id="no-records"');

    const bad = await page('GET', '/audit?fromDay=31&fromMonth=2&fromYear=2026');
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.html)[0]?.href).toBe('#from-day');

    const reader = await stack.keyFor('reader', ['view']);
    expect((await page('GET', '/audit', { headers: reader })).status).toBe(403);
  });

  it('pages through results newest first, keeping the filters', async () => {
    const codes = Array.from({ length: 52 }, (_, index) => `P${String(index).padStart(2, '0')}`);
    for (const code of codes) {
      await stack.request('POST', '/v1/vat-codes', {
        code,
        name: `Rate ${code}`,
        rateBasisPoints: 0,
      });
    }
    const first = await page('GET', '/audit?action=vat_code.create');
    const next = /<a[^>]*href="([^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(
      first.html,
    );
    const nextHref = (next?.[1] ?? next?.[2] ?? '').replace(/&amp;/g, '&');
    expect(nextHref).toMatch(/^\/audit\?action=vat_code\.create&before=/);
    expect(textOf(first.html)).toContain('P51');
    expect(textOf(first.html)).not.toContain('Rate P01 ');
    const second = await page('GET', nextHref);
    expect(second.status).toBe(200);
    expect(second.html).toContain('P01');
    expect(second.html).not.toContain('>P51<');
  });
});
