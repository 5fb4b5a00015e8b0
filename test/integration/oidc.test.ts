// Proves sign-in through the council's identity provider end to end, against a real OpenID
// provider (panva's oidc-provider) run in the test and a second IMS app configured for it: the
// browser flow (authorization code, PKCE, state, nonce) is driven with fetch and a cookie jar
// per origin. An IMS user is linked by email on first sign-in and by subject after (so a later
// email change at the provider changes nothing, and nobody else can take the account by
// claiming its old email); an identity with no IMS account, or a disabled one, is refused; a
// tampered state is refused with no session; every sign-in and refusal is audited. The provider
// keeps its default (conforming) ID tokens, which carry no email in the code flow: the IMS has
// to ask the userinfo endpoint for it.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below.
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { freePort } from '../../platform/ports';
import { useTestStack } from '../harness/stack';
import { h1Of, hrefOf, textOf } from './webHelpers';

const stack = useTestStack({ worker: false });

const clientId = 'ims';
const clientSecret = 'a-client-secret-long-enough-for-hs256-0123456789';

/** What the provider knows about each subject; tests change emails here. */
const accounts = new Map<string, { email: string; verified?: false }>([
  ['idp-alice', { email: 'Alice.Smith@council.example' }],
  // Claims alice's address in a profile the provider has not verified.
  ['idp-impostor', { email: 'alice.smith@council.example', verified: false }],
  ['idp-mallory', { email: 'alice.smith@council.example' }],
  ['idp-stranger', { email: 'stranger@council.example' }],
  ['idp-dora', { email: 'dora@council.example' }],
]);

/** The parts of oidc-provider's API this file uses (the package has no types). */
type OidcProvider = {
  callback: () => (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails: (
    req: IncomingMessage,
    res: ServerResponse,
  ) => Promise<{ uid: string; prompt: { name: string } }>;
  interactionFinished: (
    req: IncomingMessage,
    res: ServerResponse,
    result: unknown,
    options?: { mergeWithLastSubmission?: boolean },
  ) => Promise<void>;
};
type GrantContext = {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor: (clientId: string) => string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: {
      Grant: (new (fields: {
        clientId: string;
        accountId: string;
      }) => { addOIDCScope: (scope: string) => void; save: () => Promise<string> }) & {
        find: (id: string) => Promise<unknown>;
      };
    };
  };
};

let issuerUrl = '';
let imsUrl = '';
let providerServer: Server | undefined;
let imsServer: Server | undefined;

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function close(server: Server | undefined): Promise<void> {
  if (server === undefined) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  // The provider needs the IMS's redirect URI and the IMS needs the issuer: ports first.
  const [providerPort, imsPort] = [await freePort(), await freePort()];
  issuerUrl = `http://127.0.0.1:${providerPort}`;
  imsUrl = `http://127.0.0.1:${imsPort}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
  const provider: OidcProvider = new Provider(issuerUrl, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${imsUrl}/sign-in/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // openid-client sends the secret in the body unless told otherwise.
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['a-cookie-signing-key-for-the-test-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: account.verified ?? true,
          name: `Person ${sub}`,
        }),
      };
    },
    // The council's own application: no consent screen, every scope it asks for is granted.
    loadExistingGrant: async (ctx: GrantContext) => {
      const { client, session, result, provider: op } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId !== undefined) return op.Grant.find(grantId);
      const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  // A minimal login screen at the provider's interaction URL: GET shows which prompt is due,
  // POST `subject=…` signs in as that subject (no password: the provider is the test's).
  const handle = provider.callback();
  providerServer = createServer((req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<form method="post"><p id="prompt">${details.prompt.name}</p></form>`);
          return;
        }
        const subject = (await formOf(req)).get('subject') ?? '';
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: subject } },
          { mergeWithLastSubmission: false },
        );
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    })();
  });
  await listen(providerServer, providerPort);

  const ims = createApp({
    ...stack.api,
    oidc: { issuerUrl, clientId, clientSecret, publicUrl: imsUrl, allowInsecure: true },
  });
  imsServer = createServer(ims);
  await listen(imsServer, imsPort);
});

afterAll(async () => {
  await close(imsServer);
  await close(providerServer);
});

/** A browser without JavaScript: cookies per origin (paths ignored), redirects not followed. */
function browser() {
  const jars = new Map<string, Map<string, string>>();
  const jarOf = (url: URL) => {
    let jar = jars.get(url.origin);
    if (jar === undefined) {
      jar = new Map();
      jars.set(url.origin, jar);
    }
    return jar;
  };
  return {
    cookie: (origin: string, name: string) => jars.get(origin)?.get(name),
    async fetch(href: string, init: { method?: string; form?: Record<string, string> } = {}) {
      const url = new URL(href);
      const jar = jarOf(url);
      const headers: Record<string, string> = { Accept: 'text/html' };
      if (jar.size > 0) {
        headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      }
      const request: RequestInit = { method: init.method ?? 'GET', headers, redirect: 'manual' };
      if (init.form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        request.body = new URLSearchParams(init.form).toString();
      }
      const response = await fetch(url, request);
      const setCookies = response.headers.getSetCookie();
      for (const line of setCookies) {
        const [pair = '', ...attributes] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        const expired = attributes.some((attribute) => {
          const [key = '', given = ''] = attribute.split('=').map((part) => part.trim());
          if (key.toLowerCase() === 'max-age') return Number(given) <= 0;
          if (key.toLowerCase() === 'expires') return Date.parse(given) <= Date.now();
          return false;
        });
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      const location = response.headers.get('location');
      return {
        status: response.status,
        location: location === null ? null : new URL(location, url).href,
        setCookies,
        html: await response.text(),
      };
    },
  };
}

type Outcome = {
  status: number;
  location: string | null;
  html: string;
  /** The `ims_session` cookie the callback set, if any. */
  session: string | undefined;
  /** The provider's login screen said which prompt it was showing. */
  prompt: string;
};

/**
 * One sign-in in a new browser: the IMS's "Sign in with your council account" link, the
 * provider's login as `subject`, back to the IMS callback (optionally tampered with first).
 */
async function signInAs(
  subject: string,
  options: { next?: string; tamper?: (callback: URL) => void } = {},
): Promise<Outcome> {
  const tab = browser();
  const query = options.next === undefined ? '' : `?next=${encodeURIComponent(options.next)}`;
  let step = await tab.fetch(`${imsUrl}/sign-in/oidc${query}`);
  expect(step.status).toBe(303);
  expect(step.location?.startsWith(`${issuerUrl}/`)).toBe(true);
  // To the provider's login screen.
  while (step.location !== null && !step.location.includes('/interaction/')) {
    step = await tab.fetch(step.location);
  }
  expect(step.location, step.html).not.toBeNull();
  const interaction = step.location!;
  const screen = await tab.fetch(interaction);
  expect(screen.status, screen.html).toBe(200);
  const prompt = /<p id="prompt">([^<]*)<\/p>/.exec(screen.html)?.[1] ?? '';
  step = await tab.fetch(interaction, { method: 'POST', form: { subject } });
  expect(step.status, step.html).toBe(303);
  // Through the provider's resume, to the IMS's callback.
  while (step.location !== null && !step.location.startsWith(`${imsUrl}/`)) {
    step = await tab.fetch(step.location);
  }
  expect(step.location, step.html).not.toBeNull();
  const callback = new URL(step.location!);
  expect(callback.pathname).toBe('/sign-in/oidc/callback');
  expect(callback.searchParams.get('code')).toBeTruthy();
  options.tamper?.(callback);
  const back = await tab.fetch(callback.href);
  return {
    status: back.status,
    location: back.location,
    html: back.html,
    session: back.setCookies.some((line) => line.startsWith('ims_session='))
      ? tab.cookie(imsUrl, 'ims_session')
      : undefined,
    prompt,
  };
}

async function whoIs(session: string) {
  const response = await fetch(`${imsUrl}/v1/me`, {
    headers: { cookie: `ims_session=${session}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createUser(username: string, email: string) {
  const created = await stack.request('POST', '/v1/users', {
    username,
    displayName: `Test ${username}`,
    email,
    permissions: ['view'],
    fundGroups: null,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.userId as string;
}

async function userRow(username: string) {
  const [row] = await stack.database.sql<
    { oidc_issuer: string | null; oidc_subject: string | null; last_sign_in_at: Date | null }[]
  >`select oidc_issuer, oidc_subject, last_sign_in_at from users where username = ${username}`;
  return row;
}

async function auditRows(action: string, entityId: string) {
  return stack.database.sql<{ actor: string; after: Record<string, unknown> }[]>`
    select actor, after from audit_log
    where action = ${action} and entity_type = 'user' and entity_id = ${entityId}
    order by occurred_at, id`;
}

async function userCount() {
  const [row] = await stack.database.sql<{ count: number }[]>`
    select count(*)::int as count from users`;
  return row!.count;
}

describe('oidc.happy', () => {
  it('offers the council account on the sign-in page when OIDC is configured', async () => {
    const response = await fetch(`${imsUrl}/sign-in?next=%2Fpayments`, {
      headers: { Accept: 'text/html' },
    });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(textOf(html)).toContain('Sign in with your council account');
    expect(hrefOf(html, 'sign-in-oidc')).toBe('/sign-in/oidc?next=%2Fpayments');
    // The stack's own app has no provider configured, and offers passwords only.
    const plain = await fetch(`${stack.baseUrl}/sign-in`, { headers: { Accept: 'text/html' } });
    const plainHtml = await plain.text();
    expect(plain.status).toBe(200);
    expect(textOf(plainHtml)).not.toContain('Sign in with your council account');
    expect(hrefOf(plainHtml, 'sign-in-oidc')).toBeNull();
  });

  it('links an IMS user by email on first sign-in, then by subject after an email change', async () => {
    await createUser('alice', 'alice.smith@council.example');
    expect(await userRow('alice')).toMatchObject({ oidc_issuer: null, oidc_subject: null });
    // An address the provider has not verified links nothing, even when it matches.
    const impostor = await signInAs('idp-impostor');
    expect(impostor.status).toBe(403);
    expect(impostor.session).toBeUndefined();
    expect(await userRow('alice')).toMatchObject({ oidc_issuer: null, oidc_subject: null });

    const first = await signInAs('idp-alice', { next: '/payments' });
    expect(first.prompt).toBe('login');
    expect(first.status, first.html).toBe(303);
    expect(first.location).toBe(`${imsUrl}/payments`);
    expect(first.session).toBeTruthy();
    const me = await whoIs(first.session!);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'alice', kind: 'user', permissions: ['view'] });
    expect(typeof me.body.csrfToken).toBe('string');
    const linked = await userRow('alice');
    expect(linked).toMatchObject({ oidc_issuer: issuerUrl, oidc_subject: 'idp-alice' });
    expect(linked?.last_sign_in_at).not.toBeNull();
    const user = await stack.request('GET', '/v1/users');
    expect(
      user.body.items.find((each: { username: string }) => each.username === 'alice'),
    ).toMatchObject({ linkedIdentity: true });

    // The provider changes her email: she is still found, by (issuer, subject).
    accounts.set('idp-alice', { email: 'alice.jones@council.example' });
    const again = await signInAs('idp-alice');
    expect(again.status, again.html).toBe(303);
    expect(again.location).toBe(`${imsUrl}/`);
    expect(again.session).toBeTruthy();
    expect(again.session).not.toBe(first.session);
    expect((await whoIs(again.session!)).body).toMatchObject({ id: 'alice', kind: 'user' });
    expect(await userRow('alice')).toMatchObject({ oidc_subject: 'idp-alice' });

    const signIns = await auditRows('user.sign_in', 'alice');
    expect(signIns).toHaveLength(2);
    expect(signIns.every((row) => row.actor === 'alice' && row.after.method === 'oidc')).toBe(true);
    const links = await stack.database.sql<{ after: Record<string, unknown> }[]>`
      select after from audit_log where action = 'user.link_identity' and actor = 'alice'`;
    expect(links.map((row) => row.after)).toEqual([
      { oidcIssuer: issuerUrl, oidcSubject: 'idp-alice' },
    ]);
  });

  it('does not let another subject take a linked account by claiming its old email', async () => {
    // idp-mallory claims alice's original email, which alice's account still has in the IMS.
    const before = await userCount();
    const refused = await signInAs('idp-mallory');
    expect(refused.status, refused.html).toBe(403);
    expect(refused.session).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect(await userRow('alice')).toMatchObject({ oidc_subject: 'idp-alice' });
  });
});

describe('oidc.refused', () => {
  it('refuses an identity whose email matches no IMS user, and creates none', async () => {
    const before = await userCount();
    const refused = await signInAs('idp-stranger');
    expect(refused.status).toBe(403);
    expect(refused.session).toBeUndefined();
    expect(h1Of(refused.html)).toBe('Sign in');
    expect(textOf(refused.html)).toContain(
      'You do not have an account in the Income Management System. Ask an administrator.',
    );
    expect(await userCount()).toBe(before);
    const [row] = await stack.database.sql<{ count: number }[]>`
      select count(*)::int as count from users where oidc_subject = 'idp-stranger'`;
    expect(row!.count).toBe(0);
    const failures = await auditRows('user.sign_in_failed', 'stranger@council.example');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.after).toMatchObject({ method: 'oidc', why: 'no IMS account' });
  });

  it('refuses a disabled user', async () => {
    const userId = await createUser('dora', 'dora@council.example');
    const disabled = await stack.request('PATCH', `/v1/users/${userId}`, {
      disabled: true,
      reason: 'left the council',
    });
    expect(disabled.status, disabled.text).toBe(200);
    const refused = await signInAs('idp-dora');
    expect(refused.status).toBe(403);
    expect(refused.session).toBeUndefined();
    expect(textOf(refused.html)).toContain('Ask an administrator');
    const failures = await auditRows('user.sign_in_failed', 'dora@council.example');
    expect(failures).toHaveLength(1);
    // A disabled account is never linked, so to the provider's identity there is no account.
    expect(failures[0]!.after).toMatchObject({ method: 'oidc', why: 'no IMS account' });
    expect(await auditRows('user.sign_in', 'dora')).toHaveLength(0);
    const [link] = await stack.database.sql<{ subject: string | null }[]>`
      select oidc_subject as subject from users where id = ${userId}`;
    expect(link!.subject).toBeNull();
    const [sessions] = await stack.database.sql<{ count: number }[]>`
      select count(*)::int as count from sessions where user_id = ${userId}`;
    expect(sessions!.count).toBe(0);
  });

  it('refuses a callback whose state was tampered with, and sets no session', async () => {
    accounts.set('idp-alice', { email: 'alice.jones@council.example' });
    const signInsBefore = (await auditRows('user.sign_in', 'alice')).length;
    const refused = await signInAs('idp-alice', {
      tamper: (callback) => callback.searchParams.set('state', 'forged-state'),
    });
    expect(refused.status).toBe(401);
    expect(refused.session).toBeUndefined();
    expect(textOf(refused.html)).toContain(
      'The identity provider did not confirm who you are. Try again.',
    );
    expect(await auditRows('user.sign_in', 'alice')).toHaveLength(signInsBefore);
  });

  it('refuses a callback with no sign-in under way (no flow cookie)', async () => {
    const response = await fetch(`${imsUrl}/sign-in/oidc/callback?code=x&state=y`, {
      headers: { Accept: 'text/html' },
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie().some((line) => line.startsWith('ims_session='))).toBe(
      false,
    );
  });
});
