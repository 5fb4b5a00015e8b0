import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { type Request, type Response, Router } from 'express';
import { actorOf } from '../api/actor';
import { sessionCookie } from '../api/auth/authenticate';
import type { Logger } from '../platform/logger';
import { redirectToSignIn, renderForbidden } from './errors';
import { render } from './render';

/**
 * The Temporal Web UI, served by the IMS at /temporal/ to signed-in operators. On the IMS's own
 * origin the UI's calls to the codec endpoint (/codec) carry the operator's session cookie, so
 * encrypted payloads decode with no setting to change; every link to the UI is on the one origin;
 * and the UI, which has no sign-in of its own, is reached only through the IMS's.
 * The upstream UI must be started with the public path /temporal (npm start does so).
 */

export const temporalUiPath = '/temporal';

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/** The browser's cookies minus the IMS session: the UI never holds a credential of ours. */
export function cookiesForUpstream(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  const kept = cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith(`${sessionCookie}=`));
  return kept.length === 0 ? undefined : kept.join('; ');
}

function upstreamHeaders(req: Request, upstream: URL): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!hopByHop.has(name) && name !== 'cookie' && name !== 'authorization') headers[name] = value;
  }
  const cookie = cookiesForUpstream(req.headers.cookie);
  if (cookie !== undefined) headers.cookie = cookie;
  headers.host = upstream.host;
  // The UI's own cross-site check compares Origin with its host: it sees itself as the origin.
  if (headers.origin !== undefined) headers.origin = upstream.origin;
  headers['x-forwarded-host'] = req.get('host');
  headers['x-forwarded-proto'] = req.protocol;
  return headers;
}

/** Who may open the UI: it lists every council's workflows, so the provider or the home council. */
function refusal(req: Request, res: Response, homeCouncilId: string): 'sign-in' | string | null {
  const actor = actorOf(req, res);
  if (actor.kind === 'anonymous') return 'sign-in';
  if (actor.kind !== 'user') return 'The Temporal Web UI is for staff who have signed in.';
  if (actor.permissions.has('provider')) return null;
  if (!actor.permissions.has('operations')) return 'operations';
  if (actor.councilId !== homeCouncilId)
    return 'The Temporal Web UI shows the workflows of every council on this service, so only the service provider opens it. Use Operations for your council’s workflows.';
  return null;
}

export type TemporalUiOptions = {
  /** The UI as the IMS reaches it, e.g. http://127.0.0.1:8233. */
  upstream: string;
  /** The council whose operators may open the UI (the install's own): others see only theirs. */
  homeCouncilId: string;
  logger: Logger;
};

/** Mount before the body parsers: request bodies stream through untouched. */
export function temporalUiRouter(options: TemporalUiOptions): Router {
  const upstream = new URL(options.upstream);
  const router = Router();
  router.use(temporalUiPath, (req, res) => {
    const refused = refusal(req, res, options.homeCouncilId);
    if (refused === 'sign-in') return redirectToSignIn(req, res);
    if (refused === 'operations') return renderForbidden(res, 'operations');
    if (refused !== null) return renderForbidden(res, null, refused);
    // A signed-in browser must not be made to act by another site's page.
    const origin = req.get('origin');
    if (
      !['GET', 'HEAD'].includes(req.method) &&
      origin !== undefined &&
      origin !== `${req.protocol}://${req.get('host')}`
    ) {
      return renderForbidden(res, null, 'This request did not come from the IMS');
    }
    const outgoing = httpRequest(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.originalUrl,
        headers: upstreamHeaders(req, upstream),
      },
      (incoming) => {
        // The UI brings its own content security policy (its pages need inline scripts).
        res.removeHeader('Content-Security-Policy');
        res.removeHeader('Cross-Origin-Resource-Policy');
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (!hopByHop.has(name) && value !== undefined) res.setHeader(name, value);
        }
        res.status(incoming.statusCode ?? 502);
        incoming.pipe(res);
      },
    );
    outgoing.on('error', (error) => {
      options.logger.warn({ err: error.message }, 'Temporal Web UI unreachable');
      if (res.headersSent) return res.destroy();
      render(res, 'errors/temporal-ui-down.njk', {}, 502);
    });
    req.pipe(outgoing);
  });
  return router;
}
