import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import { type AuthSettings, cookieValue, setSessionCookie } from '../api/auth/authenticate';
import type { ApiContext } from '../api/context';
import { createSession, linkOidcUser } from '../db/identity';
import { definePage, field, type Page } from './page';
import { render } from './render';

/**
 * Sign-in through the council's own identity provider (OpenID Connect, authorization code flow
 * with PKCE, state and nonce). The IMS does not create accounts from it: a person signs in
 * only if an administrator made their account, matched by email on first sign-in and by the
 * provider's subject after that. Permissions stay in the IMS, where finance can audit them.
 */
export type OidcSignIn = {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** This IMS's public base URL; the callback is `${publicUrl}/sign-in/oidc/callback`. */
  publicUrl: string;
  /**
   * How the client secret reaches the token endpoint: in the form body (the default, which
   * Microsoft Entra ID accepts) or as HTTP Basic, for providers registered that way.
   */
  tokenAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Plain-HTTP providers, for a provider run on the same machine in tests only. */
  allowInsecure?: boolean;
};

const flowCookie = 'ims_oidc_flow';
const flowMaxAgeMs = 10 * 60_000;

/**
 * An email the provider vouches for, or undefined. Linking an account by an address anyone can
 * type into their profile would hand that account to them: only `email_verified` (or Entra ID's
 * `xms_edov`, its "email domain owner verified" optional claim) counts.
 */
function verifiedEmail(claims: Record<string, unknown>): string | undefined {
  if (typeof claims.email !== 'string') return undefined;
  return claims.email_verified === true || claims.xms_edov === true ? claims.email : undefined;
}

type Flow = { verifier: string; state: string; nonce: string; next: string };

/** The flow cookie, or null when it is not ours (tampered, truncated, from an old version). */
function flowFrom(raw: string): Flow | null {
  try {
    const value = JSON.parse(raw) as Partial<Flow>;
    const fields = [value.verifier, value.state, value.nonce, value.next];
    return fields.every((field) => typeof field === 'string') ? (value as Flow) : null;
  } catch {
    return null;
  }
}

type Audit = (
  req: Request,
  res: Response,
  action: string,
  entityId: string,
  after?: unknown,
) => Promise<void>;

export function oidcPages(
  ctx: ApiContext,
  options: OidcSignIn,
  settings: AuthSettings,
  audit: Audit,
): Page[] {
  let configuration: Promise<oidc.Configuration> | undefined;
  // Discovered on first use, so the IMS starts while the provider is briefly unreachable.
  const configured = () => {
    configuration ??= oidc
      .discovery(
        new URL(options.issuerUrl),
        options.clientId,
        options.clientSecret,
        options.tokenAuthMethod === 'client_secret_basic'
          ? oidc.ClientSecretBasic(options.clientSecret)
          : oidc.ClientSecretPost(options.clientSecret),
        options.allowInsecure === true ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };
  const redirectUri = `${options.publicUrl.replace(/\/$/, '')}/sign-in/oidc/callback`;

  const failed = (res: Response, text: string, status: number) =>
    render(
      res,
      'sign-in.njk',
      { oidcEnabled: true, errors: { list: [{ text }], byField: {} } },
      status,
    );

  return [
    definePage({
      method: 'get',
      path: '/sign-in/oidc',
      access: { public: 'starts sign-in at the council’s identity provider' },
      handler: async (req, res) => {
        const config = await configured();
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const next = field(req.query, 'next');
        // The flow's secrets ride in a short-lived httpOnly cookie; Lax still sends it on the
        // provider's top-level redirect back to us.
        res.cookie(flowCookie, JSON.stringify({ verifier, state, nonce, next }), {
          httpOnly: true,
          sameSite: 'lax',
          secure: settings.secureCookies,
          path: '/sign-in/oidc',
          maxAge: flowMaxAgeMs,
        });
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: 'openid email profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        res.redirect(303, url.href);
      },
    }),
    definePage({
      method: 'get',
      path: '/sign-in/oidc/callback',
      access: { public: 'the identity provider returns here; state, nonce and PKCE are checked' },
      handler: async (req, res) => {
        const raw = cookieValue(req, flowCookie);
        res.clearCookie(flowCookie, { path: '/sign-in/oidc' });
        if (raw === undefined) return failed(res, 'Your sign-in took too long. Try again.', 400);
        const flow = flowFrom(raw);
        if (flow === null) return failed(res, 'Your sign-in could not be read. Try again.', 400);
        const config = await configured();
        const currentUrl = new URL(req.originalUrl, redirectUri);
        let claims: oidc.IDToken | undefined;
        let email: string | undefined;
        try {
          const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          });
          claims = tokens.claims();
          if (claims !== undefined) {
            email = verifiedEmail(claims);
            // A conforming provider need not put scope-requested claims such as email in the
            // ID token when it also issues an access token: ask its userinfo endpoint, which
            // must answer for the same subject.
            if (email === undefined && config.serverMetadata().userinfo_endpoint !== undefined) {
              const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
              email = verifiedEmail(info);
            }
          }
        } catch (error) {
          ctx.logger.warn({ err: error }, 'OIDC sign-in refused');
          await audit(req, res, 'user.sign_in_failed', 'unknown', {
            method: 'oidc',
            why: 'the provider’s answer did not verify (state, nonce, PKCE or token)',
          });
          return failed(res, 'The identity provider did not confirm who you are. Try again.', 401);
        }
        if (claims === undefined)
          return failed(res, 'The identity provider sent no identity.', 401);
        const user = await ctx.db.transaction((tx) =>
          linkOidcUser(tx, { issuer: claims.iss, subject: claims.sub, email }),
        );
        if (user === null || user.disabledAt !== null) {
          await audit(req, res, 'user.sign_in_failed', email ?? claims.sub, {
            method: 'oidc',
            why: user === null ? 'no IMS account' : 'disabled',
          });
          return failed(
            res,
            'You do not have an account in the Income Management System. Ask an administrator.',
            403,
          );
        }
        const session = await createSession(ctx.db, user.id, settings);
        await audit(req, res, 'user.sign_in', user.username, { method: 'oidc' });
        setSessionCookie(res, session.token, settings);
        const next = /^\/(?![/\\])\S*$/.test(flow.next) ? flow.next : '/';
        res.redirect(303, next);
      },
    }),
  ];
}
