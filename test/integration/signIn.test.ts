// Staff sign-in with a password: sessions in PostgreSQL, CSRF on cookie-authenticated changes,
// audit of every attempt, rate limits, and sessions that end when they should.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });
const password = 'a long enough passphrase';

async function signIn(
  username: string,
  secret: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${stack.baseUrl}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username, password: secret, ...extra }),
    redirect: 'manual',
  });
  const setCookie = response.headers.get('set-cookie');
  return {
    status: response.status,
    location: response.headers.get('location'),
    setCookie,
    cookie: setCookie?.split(';')[0],
    text: await response.text(),
  };
}

/** Only the session cookie: no API key (which the harness adds otherwise, and which wins). */
const session = (cookie: string | undefined) => ({ cookie: cookie!, Authorization: '' });

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await stack.database.sql<{ action: string }[]>`
    select action from audit_log where entity_type = 'user' and entity_id = ${entityId}
    order by occurred_at, id`;
  return rows.map((row) => row.action);
}

beforeAll(async () => {
  const created = await stack.request('POST', '/v1/users', {
    username: 'jo.clerk',
    displayName: 'Jo Clerk',
    email: 'jo.clerk@council.example',
    password,
    permissions: ['view', 'suspense.work'],
    fundGroups: null,
  });
  expect(created.status).toBe(201);
  expect(created.body).not.toHaveProperty('passwordHash');
  expect(created.body.hasPassword).toBe(true);
});

describe('sign-in', () => {
  it('signs in with the right password into a session cookie, and audits it', async () => {
    const result = await signIn('Jo.Clerk', password, { next: '/suspense' });
    expect(result.status).toBe(303);
    expect(result.location).toBe('/suspense');
    expect(result.setCookie).toMatch(/^ims_session=[A-Za-z0-9_-]{43};/);
    expect(result.setCookie).toMatch(/HttpOnly/i);
    expect(result.setCookie).toMatch(/SameSite=Lax/i);
    const me = await stack.request('GET', '/v1/me', undefined, session(result.cookie));
    expect(me.body).toMatchObject({ id: 'jo.clerk', kind: 'user', fundGroups: null });
    expect(me.body.permissions).toEqual(['view', 'suspense.work']);
    expect(await auditActions('jo.clerk')).toContain('user.sign_in');
    // The database keeps only a hash of the token.
    const token = result.cookie!.split('=')[1]!;
    const [stored] = await stack.database
      .sql`select count(*)::int as n from sessions where token_hash = ${token}`;
    expect(stored!.n).toBe(0);
  });

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await signIn('jo.clerk', 'not the password at all');
    const unknown = await signIn('nobody.here', 'not the password at all');
    for (const result of [wrong, unknown]) {
      expect(result.status).toBe(401);
      expect(result.setCookie).toBeNull();
      expect(result.text).toContain('Enter a correct username and password');
      expect(result.text).toContain('govuk-error-summary');
    }
    expect(await auditActions('jo.clerk')).toContain('user.sign_in_failed');
    expect(await auditActions('nobody.here')).toEqual(['user.sign_in_failed']);
  });

  it('names the empty fields', async () => {
    const result = await signIn('', '');
    expect(result.status).toBe(400);
    expect(result.text).toContain('Enter your username');
    expect(result.text).toContain('Enter your password');
    expect(result.text).toContain('href="#username"');
  });

  it('never redirects off the site after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const result = await signIn('jo.clerk', password, { next });
      expect(result.status).toBe(303);
      expect(result.location).toBe('/');
    }
  });

  it('refuses a sign-in form posted from another site (login CSRF)', async () => {
    const result = await signIn('jo.clerk', password, {}, { origin: 'https://evil.example' });
    expect(result.status).toBe(403);
    expect(result.setCookie).toBeNull();
  });

  it('requires the session’s CSRF token for changes made with the cookie', async () => {
    const { cookie } = await signIn('jo.clerk', password);
    const me = await stack.request('GET', '/v1/me', undefined, session(cookie));
    const body = { reason: 'x' };
    const path = '/v1/suspense/sus_0000000000000000000a/notes';
    const without = await stack.request('POST', path, { text: 'hello' }, session(cookie));
    expect(without.status).toBe(403);
    expect(without.body.detail).toContain('reload the page');
    const wrong = await stack.request('POST', path, body, {
      ...session(cookie),
      'X-CSRF-Token': 'not-the-token',
    });
    expect(wrong.status).toBe(403);
    const right = await stack.request(
      'POST',
      path,
      { text: 'hello' },
      {
        cookie: cookie!,
        'X-CSRF-Token': me.body.csrfToken,
      },
    );
    // Past the CSRF check: the item does not exist.
    expect(right.status).toBe(404);
  });

  it('ends the session on sign-out, and no longer accepts its cookie', async () => {
    const { cookie } = await signIn('jo.clerk', password);
    const me = await stack.request('GET', '/v1/me', undefined, session(cookie));
    const out = await fetch(`${stack.baseUrl}/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
      body: new URLSearchParams({ _csrf: me.body.csrfToken }),
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/ims_session=;/);
    const after = await stack.request('GET', '/v1/me', undefined, session(cookie));
    expect(after.status).toBe(401);
  });

  it('ends a session left idle too long', async () => {
    const { cookie } = await signIn('jo.clerk', password);
    expect((await stack.request('GET', '/v1/me', undefined, session(cookie))).status).toBe(200);
    await stack.database.sql`update sessions set last_seen_at = now() - interval '31 minutes'
      where ended_at is null`;
    expect((await stack.request('GET', '/v1/me', undefined, session(cookie))).status).toBe(401);
  });

  it('ends every session of a user who is disabled, and refuses their sign-in', async () => {
    const created = await stack.request('POST', '/v1/users', {
      username: 'leaver',
      displayName: 'Leaving Soon',
      password,
      permissions: ['view'],
      fundGroups: null,
    });
    const { cookie } = await signIn('leaver', password);
    expect((await stack.request('GET', '/v1/me', undefined, session(cookie))).status).toBe(200);
    const disabled = await stack.request('PATCH', `/v1/users/${created.body.userId}`, {
      disabled: true,
      reason: 'left the council',
    });
    expect(disabled.body.disabled).toBe(true);
    expect((await stack.request('GET', '/v1/me', undefined, session(cookie))).status).toBe(401);
    expect((await signIn('leaver', password)).status).toBe(401);
  });

  it('slows down guessing: the eleventh failure in a row waits', async () => {
    await stack.request('POST', '/v1/users', {
      username: 'target',
      displayName: 'Target',
      password,
      permissions: ['view'],
      fundGroups: null,
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      statuses.push((await signIn('target', `wrong guess ${attempt} xx`)).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Even the right password waits until the window passes.
    expect((await signIn('target', password)).status).toBe(429);
  });
});

describe('users and API keys', () => {
  it('validates accounts, naming the field', async () => {
    const bad = await stack.request('POST', '/v1/users', {
      username: 'system:root',
      displayName: 'x',
      password: 'short',
      permissions: ['everything'],
      fundGroups: ['NO_SUCH'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'body.password',
      'body.permissions[0]',
      'body.username',
    ]);
    const unknownGroup = await stack.request('POST', '/v1/users', {
      username: 'scoped',
      displayName: 'Scoped',
      permissions: ['view'],
      fundGroups: ['NO_SUCH'],
    });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body.errors[0].field).toBe('body.fundGroups[0]');
    const taken = await stack.request('POST', '/v1/users', {
      username: 'JO.CLERK',
      displayName: 'Another Jo',
      permissions: [],
      fundGroups: null,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.errors[0].field).toBe('body.username');
  });

  it('shows a key once, keeps only its hash, and refuses it once revoked', async () => {
    const created = await stack.request('POST', '/v1/api-keys', {
      principal: 'paypoint-feed',
      description: 'PayPoint nightly file',
      permissions: ['import', 'view'],
      fundGroups: null,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key: string = created.body.key;
    expect(key).toMatch(/^ims_[A-Za-z0-9_-]{43}$/);
    const listed = await stack.request('GET', '/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    const auth = { Authorization: `Bearer ${key}` };
    expect((await stack.request('GET', '/v1/me', undefined, auth)).body).toMatchObject({
      id: 'paypoint-feed',
      kind: 'api_key',
    });
    const revoked = await stack.request('POST', `/v1/api-keys/${created.body.apiKey.keyId}/revoke`);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await stack.request('GET', '/v1/me', undefined, auth);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain('revoked');
    const actions = await stack.database.sql<{ action: string; actor: string }[]>`
      select action, actor from audit_log where entity_type = 'api_key' order by occurred_at`;
    expect(actions).toEqual([
      { action: 'api_key.create', actor: 'tester' },
      { action: 'api_key.revoke', actor: 'tester' },
    ]);
  });

  it('lets nobody grant more than they hold, or borrow a person’s name for a key', async () => {
    await runSeedsOnce(stack.database.sql, demoSeeds);
    const admin = await stack.keyFor('limited.admin', ['configure', 'view'], ['REV']);
    const tooMuch = await stack.request(
      'POST',
      '/v1/users',
      {
        username: 'new.clerk',
        displayName: 'New Clerk',
        permissions: ['view', 'refund.approve'],
        fundGroups: null,
      },
      admin,
    );
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.errors).toEqual([
      { field: 'body.permissions[1]', message: 'you do not hold refund.approve' },
      { field: 'body.fundGroups', message: 'you may not grant every fund group' },
    ]);
    const within = await stack.request(
      'POST',
      '/v1/users',
      {
        username: 'new.clerk',
        displayName: 'New Clerk',
        permissions: ['view'],
        fundGroups: ['REV'],
      },
      admin,
    );
    expect(within.status).toBe(201);
    const borrowed = await stack.request('POST', '/v1/api-keys', {
      principal: 'JO.CLERK',
      description: 'acts as Jo',
      permissions: ['view'],
      fundGroups: null,
    });
    expect(borrowed.status).toBe(409);
    expect(borrowed.body.errors[0].field).toBe('body.principal');
    await stack.request('POST', '/v1/api-keys', {
      principal: 'web-forms',
      description: 'council web forms',
      permissions: ['view'],
      fundGroups: null,
    });
    const clash = await stack.request('POST', '/v1/users', {
      username: 'web-forms',
      displayName: 'Not a person',
      permissions: [],
      fundGroups: null,
    });
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].field).toBe('body.username');
  });

  it('treats a malformed session cookie as no session, not as an error', async () => {
    const response = await stack.request('GET', '/v1/me', undefined, {
      cookie: 'ims_session=%',
      Authorization: '',
    });
    expect(response.status).toBe(401);
    const page = await fetch(`${stack.baseUrl}/sign-in`, { headers: { cookie: 'ims_session=%' } });
    expect(page.status).toBe(200);
  });
});
