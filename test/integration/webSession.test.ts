// Proves the screens for a person signed in with a password (a session cookie, not an API key):
// the sign-in page's fields, the header naming them with a sign-out button, CSRF tokens in every
// form (a post without one gets an error page, one with it works), and signing out.
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords';
import { createUser } from '../../db/identity';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';
import { errorSummary, formTokensOf, h1Of, textOf, webClient } from './webHelpers';

const stack = useTestStack();
const page = webClient(stack);
const password = 'correct horse battery staple';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  await createUser(
    stack.database.db,
    {
      username: 'clerk',
      displayName: 'Casey Clerk',
      passwordHash: await hashPassword(password),
      permissions: ['view', 'suspense.work'],
      fundGroups: null,
    },
    { actor: 'system:test' },
  );
});

async function signIn(): Promise<Record<string, string>> {
  const response = await page('POST', '/sign-in', {
    headers: { Authorization: '', Origin: stack.baseUrl },
    form: { username: 'clerk', password, next: '/suspense' },
  });
  expect(response.status).toBe(303);
  expect(response.location).toBe('/suspense');
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  expect(cookie).toMatch(/^ims_session=/);
  return { Authorization: '', Cookie: cookie! };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

describe('signed in with a session', () => {
  it('shows the sign-in form with what password managers and screen readers need', async () => {
    const response = await page('GET', '/sign-in?next=%2Frefunds', {
      headers: { Authorization: '' },
    });
    expect(response.status).toBe(200);
    expect(h1Of(response.html)).toBe('Sign in');
    expect(response.html).toMatch(/<label class="govuk-label" for="username">/);
    expect(response.html).toMatch(
      /id="username" name="username" type="text"[^>]*autocomplete="username"/,
    );
    expect(response.html).toMatch(
      /id="password" name="password" type="password"[^>]*autocomplete="current-password"/,
    );
    expect(response.html).toContain('<input type="hidden" name="next" value="/refunds">');
    expect(response.html).not.toContain('id="sign-in-oidc"');
    expect(response.html).not.toContain('moj-primary-navigation__list'); // nothing to navigate yet
  });

  it('names the empty fields in the error summary', async () => {
    const response = await page('POST', '/sign-in', {
      headers: { Authorization: '', Origin: stack.baseUrl },
      form: { username: '', password: '', next: '/' },
    });
    expect(response.status).toBe(400);
    expect(errorSummary(response.html)).toEqual([
      { href: '#username', text: 'Enter your username' },
      { href: '#password', text: 'Enter your password' },
    ]);
  });

  it('names the person, puts the CSRF token in forms, and refuses a form without it', async () => {
    const session = await signIn();
    const home = await page('GET', '/', { headers: session });
    expect(home.status).toBe(200);
    expect(textOf(home.html)).toContain('Signed in as Casey Clerk');
    expect(home.html).toContain('id="sign-out"');
    const token = csrfOf(home.html);
    expect(token).toBeDefined();

    const created = await stack.request('POST', '/v1/suspense', {
      amountPence: 1_000,
      receivedReference: 'CASH 1',
      reason: 'Counter takings with no slip',
    });
    const path = `/suspense/${created.body.suspenseId}`;
    const item = await page('GET', path, { headers: session });
    expect(csrfOf(item.html)).toBe(token);

    const forged = await page('POST', `${path}/notes`, {
      headers: session,
      form: { noteText: 'from another site' },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toMatch(/^text\/html/);
    expect(h1Of(forged.html)).toBe('You cannot do that');
    expect(textOf(forged.html)).toContain('reload the page and try again');

    const noted = await page('POST', `${path}/notes`, {
      headers: session,
      form: { ...formTokensOf(item.html, `${path}/notes#notes`), noteText: 'Rang the branch' },
    });
    expect(noted.status).toBe(303);
    const after = await page('GET', path, { headers: session });
    expect(textOf(after.html)).toContain('Rang the branch');
    expect(textOf(after.html)).toContain('clerk'); // the note's author is the session's user

    const out = await page('POST', '/sign-out', { headers: session, form: { _csrf: token! } });
    expect(out.status).toBe(303);
    expect((await page('GET', '/', { headers: session })).status).toBe(303);
  });
});
