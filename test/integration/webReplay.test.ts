// Proves a staff form does its work once however often it is sent (#19, defect 1): a refund
// form sent twice, or twice at once, makes one refund and answers both with the first result
// (post/redirect/get); a reloaded "API key created" page makes no second key; a refused post
// can be corrected and sent with the same token; a session's post without a token, or with
// someone else's, does nothing; and every post page of the screens (bar signing in and out)
// is guarded. Form pages may be kept by the browser alone, so Back shows the same form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords';
import type { ApiContext } from '../../api/context';
import { createUser } from '../../db/identity';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { councilPermissions } from '../../domain/permissions';
import type { PaymentServiceProvider } from '../../psp';
import { webPages } from '../../web/app';
import { payCard, startSandboxPsp } from '../harness/sandbox';
import { useTestStack } from '../harness/stack';
import { formTokensOf, h1Of, type PageResponse, signInSession, webClient } from './webHelpers';

let provider: PaymentServiceProvider;
let stopSandbox: (() => Promise<void>) | undefined;
const stack = useTestStack({ worker: false, psp: () => provider });
const page = webClient(stack);
const password = 'a replayed form passphrase';
const sessions: Record<'one' | 'two', Record<string, string>> = { one: {}, two: {} };

async function newUser(username: string): Promise<void> {
  await createUser(
    stack.database.db,
    {
      username,
      displayName: username,
      passwordHash: await hashPassword(password),
      permissions: [...councilPermissions],
      fundGroups: null,
    },
    { actor: 'system:test' },
  );
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  const started = await startSandboxPsp(stack, () => new Date());
  provider = started.provider;
  stopSandbox = () => started.sandbox.close();
  await stack.startWorker();
  await newUser('replay.one');
  await newUser('replay.two');
  // Once each: sign-in is rate limited per address.
  sessions.one = await signInSession(stack, 'replay.one', password);
  sessions.two = await signInSession(stack, 'replay.two', password);
});

afterAll(async () => {
  await stack.stopWorker();
  await stopSandbox?.();
});

async function refundsOf(paymentId: string): Promise<number> {
  const [row] = await stack.database
    .sql`select count(*)::int as n from refunds where source_id = ${paymentId}`;
  return row?.n ?? 0;
}

async function refundForm(session: Record<string, string>, paymentId: string) {
  const form = await page('GET', `/refunds/new?paymentId=${paymentId}`, { headers: session });
  expect(form.status).toBe(200);
  return {
    html: form.html,
    headers: form.headers,
    tokens: formTokensOf(form.html, '/refunds/new'),
  };
}

describe('a form sent twice', () => {
  it('makes one refund, and the second answer is the first one’s redirect', async () => {
    const session = sessions.one;
    const paymentId = await payCard(stack, 1_00);
    const { tokens, headers } = await refundForm(session, paymentId);
    expect(tokens._form).toMatch(/^[0-9a-f-]{36}$/);
    // Back must show this form as drawn, not a fresh one with an unused token.
    expect(headers.get('cache-control')).toBe('private, no-cache');
    const form = { ...tokens, paymentId, amount: '1.00', reason: 'Paid twice' };
    const first = await page('POST', '/refunds/new', { headers: session, form });
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/refunds\/rfd_[0-9a-z]{20}\?notice=requested$/);
    const again = await page('POST', '/refunds/new', { headers: session, form });
    expect(again.status).toBe(303);
    expect(again.location).toBe(first.location);
    // Back, the amount changed, and sent again: still the same form, so still nothing more.
    const changed = await page('POST', '/refunds/new', {
      headers: session,
      form: { ...form, amount: '0.50' },
    });
    expect(changed.location).toBe(first.location);
    expect(await refundsOf(paymentId)).toBe(1);
  });

  it('makes one refund when sent twice at once (a double click)', async () => {
    const session = sessions.one;
    const paymentId = await payCard(stack, 2_00);
    const { tokens } = await refundForm(session, paymentId);
    const form = { ...tokens, paymentId, amount: '2.00', reason: 'Double click' };
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => page('POST', '/refunds/new', { headers: session, form })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303]);
    expect(new Set(answers.map((answer) => answer.location)).size).toBe(1);
    expect(await refundsOf(paymentId)).toBe(1);
  });

  it('can be corrected and sent again after a refusal, with the same token', async () => {
    const session = sessions.one;
    const paymentId = await payCard(stack, 3_00);
    const { tokens } = await refundForm(session, paymentId);
    const refused = await page('POST', '/refunds/new', {
      headers: session,
      form: { ...tokens, paymentId, amount: '3.00', reason: '' },
    });
    expect(refused.status).toBe(400);
    expect(await refundsOf(paymentId)).toBe(0);
    const corrected = await page('POST', '/refunds/new', {
      headers: session,
      form: { ...tokens, paymentId, amount: '3.00', reason: 'Corrected' },
    });
    expect(corrected.status).toBe(303);
    expect(await refundsOf(paymentId)).toBe(1);
  });

  it('makes one API key when the "created" page is sent again, and shows its secret once', async () => {
    const session = sessions.one;
    const form = await page('GET', '/configuration/api-keys/new', { headers: session });
    const body = {
      ...formTokensOf(form.html, '/configuration/api-keys/new'),
      principal: 'replay-kiosk',
      description: 'Replayed kiosk key',
      permissions: 'view',
    };
    const created = await page('POST', '/configuration/api-keys/new', {
      headers: session,
      form: body,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = /id="api-key-secret" type="text" value="([^"]+)"/.exec(created.html)?.[1];
    expect(secret).toBeDefined();
    const reloaded = await page('POST', '/configuration/api-keys/new', {
      headers: session,
      form: body,
    });
    expect(reloaded.status).toBe(409);
    expect(h1Of(reloaded.html)).toBe('You have already sent this form');
    expect(reloaded.html).not.toContain(secret!);
    const keys = await stack.request('GET', '/v1/api-keys');
    const named = keys.body.items.filter(
      (item: { principal: string }) => item.principal === 'replay-kiosk',
    );
    expect(named).toHaveLength(1);
  });
});

describe('a form that cannot be trusted', () => {
  it('does nothing without a token, or with a token someone else used', async () => {
    const one = sessions.one;
    const two = sessions.two;
    const paymentId = await payCard(stack, 4_00);
    const { tokens } = await refundForm(one, paymentId);
    const form = { paymentId, amount: '4.00', reason: 'No token' };
    const tokenless = await page('POST', '/refunds/new', {
      headers: one,
      form: { ...form, _csrf: tokens._csrf },
    });
    expect(tokenless.status).toBe(400);
    expect(h1Of(tokenless.html)).toBe('This form is out of date');
    const used = await page('POST', '/refunds/new', { headers: one, form: { ...form, ...tokens } });
    expect(used.status).toBe(303);
    const twosCsrf = formTokensOf((await refundForm(two, paymentId)).html, '/refunds/new')._csrf;
    const borrowed = await page('POST', '/refunds/new', {
      headers: two,
      form: { ...form, _form: tokens._form, _csrf: twosCsrf },
    });
    expect(borrowed.status).toBe(400);
    expect(h1Of(borrowed.html)).toBe('This form cannot be sent');
    expect(await refundsOf(paymentId)).toBe(1);
  });

  it('guards every post page of the screens but signing in and out', async () => {
    const session = sessions.one;
    const csrf = formTokensOf(
      (await page('GET', '/configuration/api-keys/new', { headers: session })).html,
      '/configuration/api-keys/new',
    )._csrf;
    // Only the pages' declarations are read; no handler runs with this context.
    const posts = webPages({ auth: undefined, oidc: undefined } as unknown as ApiContext).filter(
      (declared) => declared.method === 'post',
    );
    expect(posts.length).toBeGreaterThan(20);
    const unguarded: string[] = [];
    const answers: Record<string, number> = {};
    for (const declared of posts) {
      if (declared.oneTimeToken === false) {
        unguarded.push(declared.path);
        continue;
      }
      const path = declared.path.replace(/:[A-Za-z]+/g, 'x1');
      const answer: PageResponse = await page('POST', path, {
        headers: session,
        form: { _csrf: csrf },
      });
      answers[declared.path] = answer.status;
      if (answer.status !== 400 || h1Of(answer.html) !== 'This form is out of date') {
        throw new Error(`${declared.path} answered ${answer.status}: ${h1Of(answer.html)}`);
      }
    }
    expect(unguarded.sort()).toEqual(['/sign-in', '/sign-out']);
  });

  it('keeps pages without a form out of every cache, and sign-out clears the browser’s', async () => {
    const session = sessions.one;
    const list = await page('GET', '/audit', { headers: session });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const home = await page('GET', '/', { headers: session });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.html)?.[1] ?? '';
    const out = await page('POST', '/sign-out', { headers: session, form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get('clear-site-data')).toBe('"cache"');
  });
});
