import { join } from 'node:path';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { actorOf } from '../api/actor';
import { permissions } from '../domain/permissions';
import { assetVersion } from './assets';
import { formatDate, formatDateTime, formatMojDate, formatPence, humanise } from './format';
import { mintFormToken } from './formTokens';
import { visibleNav } from './nav';
import { govukDist, mojRoot, webRoot } from './paths';

/**
 * One Nunjucks environment for every screen. Template paths let views import the design
 * systems' macros by their documented names (`govuk/components/button/macro.njk`,
 * `moj/components/timeline/macro.njk`) straight from node_modules, so upgrading the packages
 * upgrades the markup.
 */
export const serviceName = 'Income Management';

const env = new nunjucks.Environment(
  new nunjucks.FileSystemLoader([join(webRoot, 'views'), govukDist, mojRoot], {
    noCache: process.env.NODE_ENV === 'development',
  }),
  { autoescape: true, throwOnUndefined: false },
);
env.addFilter('pence', formatPence);
env.addFilter('dateTime', formatDateTime);
env.addFilter('date', formatDate);
env.addFilter('mojDate', formatMojDate);
env.addFilter('humanise', humanise);
env.addGlobal('serviceName', serviceName);

export type ViewContext = Record<string, unknown>;

/**
 * What every view may use besides its own context: who is signed in and what they may do
 * (`can['refund.approve']`), the CSRF token for POST forms, the CSP nonce for GOV.UK's one
 * inline script, the current path and the navigation the actor may see.
 */
export function commonContext(res: Response): ViewContext {
  const actor = actorOf(res.req, res);
  const currentPath = res.req.path;
  return {
    actor: {
      id: actor.id,
      kind: actor.kind,
      displayName: actor.displayName,
      signedIn: actor.kind !== 'anonymous',
    },
    can: Object.fromEntries(permissions.map((name) => [name, actor.permissions.has(name)])),
    csrfToken: actor.csrfToken ?? '',
    cspNonce: res.locals.cspNonce,
    currentPath,
    navItems: visibleNav(actor.permissions, currentPath),
    requestId: res.locals.requestId === undefined ? '' : String(res.locals.requestId),
    assetVersion: assetVersion(),
  };
}

/** Draws a view; `formTokens` counts the one-time form tokens it minted. */
export function renderToString(
  res: Response,
  template: string,
  context: ViewContext = {},
  formTokens = { minted: 0 },
) {
  const formToken = () => {
    formTokens.minted += 1;
    return mintFormToken();
  };
  return env.render(template, { ...commonContext(res), formToken, ...context });
}

/**
 * Renders a view as the response. Screens show money and personal data, so no shared cache
 * (a proxy) may keep a copy, and pages without a form are not stored at all. A page with a form
 * may be kept by the browser alone (`private, no-cache`: every ordinary visit asks again), so
 * that Back shows the form as it was drawn, with its one-time token, and sending it again is
 * recognised as a replay (web/oneTimeForms.ts); with `no-store` Back would draw a fresh form
 * whose token nobody has used. Signing out clears what the browser kept (Clear-Site-Data).
 */
export function render(
  res: Response,
  template: string,
  context: ViewContext = {},
  status = 200,
): void {
  const formTokens = { minted: 0 };
  const html = renderToString(res, template, context, formTokens);
  // A post's answer is never kept: it may hold what is shown once (a new API key's secret).
  const keepable = formTokens.minted > 0 && res.req.method === 'GET';
  res
    .status(status)
    .set('Cache-Control', keepable ? 'private, no-cache' : 'no-store')
    .type('html')
    .send(html);
}
