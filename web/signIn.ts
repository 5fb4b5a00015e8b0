import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { actorOf } from '../api/actor';
import {
  type AuthSettings,
  clearSessionCookie,
  defaultAuthSettings,
  setSessionCookie,
} from '../api/auth/authenticate';
import { decoyPasswordHash, verifyPassword } from '../api/auth/passwords';
import type { ApiContext } from '../api/context';
import { recordAudit } from '../db/audit';
import { createSession, endSession, findUserByUsername } from '../db/identity';
import { defaultCouncilId } from '../domain/council';
import { type OidcSignIn, oidcPages } from './oidc';
import { field, getPage, type Page, postPage } from './page';
import { render } from './render';

/**
 * Signing in and out. Passwords are checked against argon2id hashes; an unknown username is
 * checked against a decoy hash so the answer takes as long either way and says the same thing.
 * Every attempt is audited. A new session (new token, new CSRF token) is made at each sign-in.
 */

/** Only paths on this site: `//evil.example` and absolute URLs would make an open redirect. */
export function safeNextPath(value: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

/**
 * A cross-site page must not sign a victim into the attacker's account (login CSRF): the form
 * has no session yet to hold a token, so the browser's Origin header has to be ours.
 */
function sameOrigin(req: Request): boolean {
  const origin = req.get('Origin');
  if (origin === undefined || origin === 'null') return origin === undefined;
  return URL.canParse(origin) && new URL(origin).host === req.get('host');
}

function signInView(
  res: Response,
  context: Record<string, unknown>,
  oidcEnabled: boolean,
  status = 200,
) {
  // A shared deployment's councils sign in at /sign-in?council=<id>; the form keeps it.
  const council = res.locals.councilId as string | undefined;
  render(
    res,
    'sign-in.njk',
    { oidcEnabled, council: council === defaultCouncilId ? undefined : council, ...context },
    status,
  );
}

const failedMessage = 'Enter a correct username and password';

/** Ten tries per address and username in 15 minutes, then a wait: enough for typing errors. */
function signInLimiter(): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: (req, res) =>
      `${ipKeyGenerator(req.ip ?? '')}:${String(res.locals.councilId)}:${field(req.body, 'username').toLowerCase()}`,
    handler: (_req, res) =>
      render(
        res,
        'sign-in.njk',
        {
          errors: {
            list: [{ text: 'Too many attempts. Wait 15 minutes, then try again.' }],
            byField: {},
          },
        },
        429,
      ),
  });
}

function runMiddleware(handler: RequestHandler, req: Request, res: Response): Promise<boolean> {
  return new Promise((resolve, reject) => {
    void Promise.resolve(
      handler(req, res, (error?: unknown) => (error === undefined ? resolve(true) : reject(error))),
    ).then(() => {
      if (res.headersSent) resolve(false);
    }, reject);
  });
}

export type SignInOptions = { settings?: AuthSettings; oidc?: OidcSignIn };

export function signInPages(ctx: ApiContext, options: SignInOptions = {}): Page[] {
  const settings = options.settings ?? defaultAuthSettings;
  const oidcEnabled = options.oidc !== undefined;
  const limiter = signInLimiter();

  async function audit(
    req: Request,
    res: Response,
    action: string,
    entityId: string,
    after?: unknown,
  ) {
    await recordAudit(ctx.db, {
      actor: entityId,
      action,
      entityType: 'user',
      entityId,
      after: { ...((after as object) ?? {}), address: req.ip },
      requestId: String(res.locals.requestId),
    });
  }

  // Signing in starts a session from no drawn form; signing out twice is harmless.
  const pages: Page[] = [
    getPage(
      '/sign-in',
      { public: 'the way in: shows the sign-in form' },
      'Sign in',
      async (req, res) => {
        if (actorOf(req, res).kind === 'user') {
          return res.redirect(303, safeNextPath(field(req.query, 'next') || '/'));
        }
        signInView(res, { next: safeNextPath(field(req.query, 'next') || '/') }, oidcEnabled);
      },
    ),
    postPage(
      '/sign-in',
      { public: 'checks a username and password; rate limited and audited' },
      async (req, res) => {
        const username = field(req.body, 'username');
        const password = typeof req.body?.password === 'string' ? req.body.password : '';
        const next = safeNextPath(field(req.body, 'next') || '/');
        if (!sameOrigin(req)) {
          return signInView(
            res,
            {
              next,
              username,
              errors: { list: [{ text: 'Sign in from the IMS sign-in page' }], byField: {} },
            },
            oidcEnabled,
            403,
          );
        }
        if (!(await runMiddleware(limiter, req, res))) return;
        if (username === '' || password === '') {
          const byField: Record<string, { text: string }> = {};
          const list: { text: string; href: string }[] = [];
          if (username === '') {
            byField.username = { text: 'Enter your username' };
            list.push({ text: 'Enter your username', href: '#username' });
          }
          if (password === '') {
            byField.password = { text: 'Enter your password' };
            list.push({ text: 'Enter your password', href: '#password' });
          }
          return signInView(res, { next, username, errors: { list, byField } }, oidcEnabled, 400);
        }
        const user = await findUserByUsername(ctx.db, username);
        const hash = user?.passwordHash ?? (await decoyPasswordHash());
        const passwordOk = await verifyPassword(hash, password);
        if (
          user === null ||
          user.passwordHash === null ||
          !passwordOk ||
          user.disabledAt !== null
        ) {
          await audit(req, res, 'user.sign_in_failed', user?.username ?? username.slice(0, 64), {
            why:
              user === null
                ? 'unknown username'
                : user.disabledAt !== null
                  ? 'disabled'
                  : 'wrong password',
          });
          return signInView(
            res,
            {
              next,
              username,
              errors: {
                list: [{ text: failedMessage, href: '#username' }],
                byField: { username: { text: failedMessage }, password: { text: failedMessage } },
              },
            },
            oidcEnabled,
            401,
          );
        }
        const session = await createSession(ctx.db, user.id, settings);
        await audit(req, res, 'user.sign_in', user.username, { method: 'password' });
        setSessionCookie(res, session.token, settings);
        res.redirect(303, next);
      },
    ),
    postPage(
      '/sign-out',
      { public: 'ends the caller’s own session, if any (CSRF-checked when there is one)' },
      async (req, res) => {
        const actor = actorOf(req, res);
        const token = res.locals.sessionToken as string | undefined;
        if (token !== undefined) {
          await endSession(ctx.db, token);
          await audit(req, res, 'user.sign_out', actor.id);
        }
        clearSessionCookie(res, settings);
        // What the browser kept of the screens (money, names) goes with the session.
        res.set('Clear-Site-Data', '"cache"');
        res.redirect(303, '/sign-in');
      },
    ),
    ...(options.oidc === undefined ? [] : oidcPages(ctx, options.oidc, settings, audit)),
  ];
  return pages.map((page) => (page.method === 'post' ? { ...page, oneTimeToken: false } : page));
}
