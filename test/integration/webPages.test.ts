// Proves the staff screens' framing on the real app: every page declares who may open it; a
// permitted actor gets each screen with its heading, the navigation they may use and a CSP
// nonce on GOV.UK's one inline script; nobody signed in is sent to sign in and brought back;
// an actor without the permission gets a 403 page naming it; unknown pages are 404 pages; and
// the design systems' assets are served (without the GOV.UK-only typeface).
import { beforeAll, describe, expect, it } from 'vitest';
import { createPaymentRecord } from '../../db/payments';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { businessDateOf } from '../../domain/businessDate';
import { newId } from '../../domain/ids';
import { isPermission } from '../../domain/permissions';
import { addDays } from '../../domain/settlement';
import { webPages } from '../../web/app';
import { formatDate, formatDateTime, formatPence, parsePounds } from '../../web/format';
import { useTestStack } from '../harness/stack';
import { errorSummary, h1Of, textOf, titleOf, webClient } from './webHelpers';

const stack = useTestStack();
const page = webClient(stack);

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

describe('web pages.security', () => {
  it('every page names a permission, or says why it is public', () => {
    const pages = webPages(stack.api);
    expect(pages.length).toBeGreaterThan(10);
    for (const each of pages) {
      if ('public' in each.access) expect(each.access.public.length, each.path).toBeGreaterThan(10);
      else expect(isPermission(each.access.permission), each.path).toBe(true);
    }
  });

  it('every GET page refuses an actor without its permission with a 403 page naming it', async () => {
    const nothing = await stack.keyFor('nobody', []);
    const gets = webPages(stack.api).filter(
      (each) => each.method === 'get' && !('public' in each.access),
    );
    for (const each of gets) {
      const path = each.path.replace(/:(\w+)/g, (_, name: string) => `x-${name}`);
      const response = await page('GET', path, { headers: nothing });
      expect(response.status, path).toBe(403);
      expect(h1Of(response.html), path).toBe('You do not have permission to see this page');
      if (!('public' in each.access))
        expect(textOf(response.html)).toContain(each.access.permission);
    }
  });

  it('a form post without the permission is refused too', async () => {
    const viewer = await stack.keyFor('viewer', ['view']);
    const response = await page('POST', '/payments/new', {
      headers: viewer,
      form: { fundCode: 'CTAX', reference: '123456780', amount: '10.00', description: 'x' },
    });
    expect(response.status).toBe(403);
    expect(textOf(response.html)).toContain('payment.take');
  });

  it('sends someone not signed in to sign in, and back to the page afterwards', async () => {
    const response = await page('GET', '/payments?state=allocated', {
      headers: { Authorization: '' },
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe(
      `/sign-in?next=${encodeURIComponent('/payments?state=allocated')}`,
    );
  });

  it('shows only the navigation the actor may use', async () => {
    const viewer = await stack.keyFor('viewer2', ['view']);
    const html = (await page('GET', '/', { headers: viewer })).html;
    const nav = /<nav class="moj-primary-navigation"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    expect(nav).toContain('href="/payments"');
    expect(nav).toContain('href="/suspense"');
    expect(nav).not.toContain('href="/configuration"');
    expect(nav).not.toContain('href="/audit"');
    expect(nav).toMatch(/aria-current="page" href="\/"/);
    expect(html).not.toContain('id="take-payment"');
  });
});

describe('web pages.happy', () => {
  it.each([
    ['/', 'Dashboard'],
    ['/payments', 'Payments'],
    ['/payments/new', 'Take a payment'],
    ['/refunds', 'Refunds'],
    ['/suspense', 'Suspense'],
    ['/suspense?state=open&age=overdue', 'Suspense'],
    [
      '/payments?reference=123456780&state=allocated&fromDay=1&fromMonth=1&fromYear=2026',
      'Payments',
    ],
  ])('%s renders with its heading', async (path, heading) => {
    const response = await page('GET', path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    // A page that carries a one-time form token may be kept for Back (docs/security.md);
    // every other page is never stored.
    const carriesFormToken = response.html.includes('name="_form"');
    expect(response.headers.get('cache-control')).toBe(
      carriesFormToken ? 'private, no-cache' : 'no-store',
    );
    expect(h1Of(response.html)).toBe(heading);
    expect(titleOf(response.html)).toBe(`${heading} – Income Management`);
    expect(response.html).toContain('href="#main-content"'); // the skip link
    expect(response.html).toContain('<main class="govuk-main-wrapper" id="main-content"');
  });

  it('puts the CSP nonce on the one inline script and loads JavaScript as a module', async () => {
    const response = await page('GET', '/');
    const nonce = /'nonce-([^']+)'/.exec(
      response.headers.get('content-security-policy') ?? '',
    )?.[1];
    expect(nonce).toBeDefined();
    const scripts = [...response.html.matchAll(/<script([^>]*)>/g)].map((match) => match[1] ?? '');
    const inline = scripts.filter((attributes) => !attributes.includes('src='));
    expect(inline).toEqual([` nonce="${nonce}"`]);
    expect(
      scripts.some((attributes) =>
        /type="module" src="\/assets\/app\/app\.js\?v=/.test(attributes),
      ),
    ).toBe(true);
    expect(response.html).not.toMatch(/\son[a-z]+="/); // no inline event handlers
  });

  it('dashboard shows income, suspense, refunds and exceptions panels', async () => {
    const text = textOf((await page('GET', '/')).html);
    for (const heading of [
      'Income today',
      'Suspense',
      'Refunds',
      'Imports today',
      'Bank exceptions by age',
      'Reconciliation today',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).not.toContain('This information is not available right now');
  });

  it('the take-a-payment form offers the funds in scope, never the suspense fund', async () => {
    const html = (await page('GET', '/payments/new')).html;
    expect(html).toContain('<option value="CTAX"');
    expect(html).not.toContain('<option value="SUSP"');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="">/); // an API key needs none
    const scoped = await stack.keyFor('revenues', ['view', 'payment.take'], ['REV']);
    const narrow = (await page('GET', '/payments/new', { headers: scoped })).html;
    expect(narrow).toContain('<option value="CTAX"');
    expect(narrow).toContain('<option value="NNDR"');
    expect(narrow).not.toContain('<option value="PCN"');
  });

  it('filters show as removable tags, and a bad filter is named on its field', async () => {
    const filtered = await page('GET', '/suspense?state=open&age=overdue');
    expect(textOf(filtered.html)).toContain('Selected filters');
    expect(filtered.html).toContain('href="/suspense?state=open"'); // removes the age filter only
    const bad = await page('GET', '/payments?fromDay=31&fromMonth=2&fromYear=2026');
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.html)[0]?.href).toBe('#from-day');
  });
});

describe('web pages.filters', () => {
  /** A payment recorded as the API would, before any workflow: enough for the list. */
  async function recordPayment(lines: { fundCode: string; reference: string }[]) {
    const id = newId('payment');
    await createPaymentRecord(stack.database.db, {
      id,
      idempotencyKey: null,
      requestHash: id,
      amountPence: lines.length * 100,
      description: `Filter test ${id}`,
      returnUrl: 'https://council.example/paid',
      methodOfPaymentCode: 'CSS',
      officeCode: null,
      createdBy: 'tester',
      lines: lines.map((line) => ({ ...line, amountPence: 100 })),
    });
    return id;
  }

  it('payments filter by fund, show each payment’s funds, and offer only funds in scope', async () => {
    const library = await recordPayment([{ fundCode: 'LIB', reference: 'LOAN-1' }]);
    const mixed = await recordPayment([
      { fundCode: 'CTAX', reference: '123456780' },
      { fundCode: 'RENT', reference: '12345678' },
    ]);
    const all = await page('GET', '/payments');
    expect(all.html).toContain('<option value="LIB"');
    expect(all.html).not.toContain('<option value="SUSP"');
    const row = (html: string, id: string) =>
      new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*?${id}[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
    expect(textOf(row(all.html, mixed))).toContain('CTAX RENT');

    const filtered = await page('GET', '/payments?fundCode=LIB');
    expect(filtered.status).toBe(200);
    expect(filtered.html).toContain(`href="/payments/${library}"`);
    expect(filtered.html).not.toContain(`href="/payments/${mixed}"`);
    expect(textOf(row(filtered.html, library))).toContain('LIB');
    expect(filtered.html).toMatch(/<option value="LIB" selected/);
    expect(textOf(filtered.html)).toContain('Selected filters');
    expect(filtered.html).toMatch(
      /<a class="moj-filter__tag" href="\/payments">[^<]*<span[^>]*>Remove this filter<\/span> Library/,
    );

    const housing = await stack.keyFor('housing.viewer', ['view'], ['HSG']);
    const scoped = await page('GET', '/payments', { headers: housing });
    expect(scoped.html).toContain('<option value="RENT"');
    expect(scoped.html).not.toContain('<option value="LIB"');
    expect(scoped.html).toContain(`href="/payments/${mixed}"`);
    expect(scoped.html).not.toContain(`href="/payments/${library}"`);
    const outside = await page('GET', '/payments?fundCode=LIB', { headers: housing });
    expect(outside.status).toBe(200);
    expect(textOf(outside.html)).toContain('No payments found');
  });

  it('suspense filters by the dashboard’s age bands, and old age links still work', async () => {
    const today = businessDateOf(Date.now());
    const received = async (days: number) => {
      const created = await stack.request('POST', '/v1/suspense', {
        amountPence: 100,
        receivedReference: `WEB AGE ${days}`,
        receivedDate: addDays(today, -days),
        reason: 'age filter test',
      });
      expect(created.status).toBe(201);
      return created.body.suspenseId as string;
    };
    const fresh = await received(1);
    const middling = await received(10);
    const old = await received(40);

    const queue = await page('GET', '/suspense');
    for (const [value, label] of [
      ['0-5', '0 to 5 days'],
      ['6-20', '6 to 20 days'],
      ['over-20', 'Over 20 days'],
      ['overdue', 'Overdue'],
    ]) {
      expect(queue.html).toMatch(new RegExp(`name="age" type="radio" value="${value}"`));
      expect(textOf(queue.html)).toContain(label);
    }
    expect(queue.html).not.toContain('value="within"');

    const band = await page('GET', '/suspense?state=open&age=6-20');
    expect(band.status).toBe(200);
    expect(band.html).toContain(`href="/suspense/${middling}"`);
    expect(band.html).not.toContain(`href="/suspense/${fresh}"`);
    expect(band.html).not.toContain(`href="/suspense/${old}"`);
    expect(band.html).toMatch(/value="6-20" checked/);
    expect(textOf(band.html)).toContain('6 to 20 days');
    expect(band.html).toContain('href="/suspense?state=open"'); // removes the age filter only

    const over = await page('GET', '/suspense?age=over-20');
    expect(over.html).toContain(`href="/suspense/${old}"`);
    expect(over.html).not.toContain(`href="/suspense/${middling}"`);
    const recent = await page('GET', '/suspense?age=0-5');
    expect(recent.html).toContain(`href="/suspense/${fresh}"`);
    expect(recent.html).not.toContain(`href="/suspense/${old}"`);

    // The retired 'within target' link still filters (nothing here is overdue yet) and says so.
    const within = await page('GET', '/suspense?age=within');
    expect(within.status).toBe(200);
    expect(within.html).toContain(`href="/suspense/${fresh}"`);
    expect(within.html).toMatch(/value="within" checked/);
    expect(textOf(within.html)).toContain('Within target');
  });
});

describe('web pages.error', () => {
  it('answers 404 pages for unknown screens and records, problem+json for the API', async () => {
    const unknown = await page('GET', '/no-such-screen');
    expect(unknown.status).toBe(404);
    expect(h1Of(unknown.html)).toBe('Page not found');
    const missing = await page('GET', '/payments/pay_00000000000000000000');
    expect(missing.status).toBe(404);
    expect(h1Of(missing.html)).toBe('Page not found');
    const malformed = await page('GET', '/refunds/not-an-id');
    expect(malformed.status).toBe(404);
    const api = await stack.request('GET', '/v1/no-such-route');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('web assets', () => {
  it('serves GOV.UK and MOJ styles without the GOV.UK-only typeface, and the scripts', async () => {
    for (const path of ['/assets/govuk-frontend.min.css', '/assets/moj-frontend.min.css']) {
      const response = await fetch(`${stack.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/css/);
      expect(response.headers.get('cache-control')).toMatch(/max-age=31536000/);
      const css = await response.text();
      expect(css.length).toBeGreaterThan(10_000);
      expect(css).not.toContain('GDS Transport');
    }
    for (const path of [
      '/assets/app/app.js',
      '/assets/app/app.css',
      '/assets/govuk/govuk-frontend.min.js',
      '/assets/moj/moj-frontend.min.js',
      '/assets/images/icon-arrow-white-down.svg',
    ]) {
      const response = await fetch(`${stack.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
    }
  });
});

describe('web money and dates', () => {
  it('reads pounds as integer pence exactly, refusing what would change the amount', () => {
    expect(parsePounds('12.34')).toEqual({ ok: true, pence: 1234 });
    expect(parsePounds(' £5 ')).toEqual({ ok: true, pence: 500 });
    expect(parsePounds('0.1')).toEqual({ ok: true, pence: 10 });
    expect(parsePounds('0.01')).toEqual({ ok: true, pence: 1 });
    expect(parsePounds('19.99')).toEqual({ ok: true, pence: 1999 }); // 19.99 * 100 is 1998.99… in floating point
    expect(parsePounds('90071992547409.91')).toEqual({ ok: true, pence: 9_007_199_254_740_991 });
    expect(parsePounds('90071992547409.92').ok).toBe(false);
    expect(parsePounds('12.')).toEqual({ ok: true, pence: 1200 });
    expect(parsePounds('.5')).toEqual({ ok: true, pence: 50 });
    // Thousands separators as people write them; a comma anywhere else is refused.
    expect(parsePounds('1,234')).toEqual({ ok: true, pence: 123_400 });
    expect(parsePounds('£5,000.00')).toEqual({ ok: true, pence: 500_000 });
    for (const bad of [
      '12.345',
      '1,23',
      '12,34.00',
      ',123',
      '-1',
      '0',
      '0.00',
      '1e3',
      '.',
      '£',
      '1 000',
      'abc',
      '',
    ]) {
      expect(parsePounds(bad).ok, bad).toBe(false);
    }
  });

  it('writes pence as pounds, and UK local time whatever the server zone', () => {
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(1)).toBe('£0.01');
    expect(formatPence(123_456)).toBe('£1,234.56');
    expect(formatPence(-5)).toBe('-£0.05');
    expect(formatPence(-123_456_789)).toBe('-£1,234,567.89');
    expect(formatPence(1.5)).toBe('');
    // 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April.
    expect(formatDateTime('2026-03-31T23:30:00Z')).toBe('1 April 2026 at 12:30am');
    expect(formatDateTime('2026-01-15T14:05:00Z')).toBe('15 January 2026 at 2:05pm');
    expect(formatDate('2026-04-01')).toBe('1 April 2026');
    expect(formatDate('2026-03-31T23:30:00Z')).toBe('1 April 2026');
  });
});
