import { type Request, type RequestHandler, type Response, Router } from 'express';
import { actorOf } from '../api/actor';
import type { ApiContext } from '../api/context';
import { assetsRouter } from './assets';
import { redirectToSignIn, renderError, renderForbidden } from './errors';
import { postOnce } from './oneTimeForms';
import type { Page } from './page';
import { allPages } from './pages';
import { signInPages } from './signIn';

export { webErrorHandler, webNotFound } from './errors';
export type { Page } from './page';

/** Every screen, for the router and for the test that walks each page's access rule. */
export function webPages(ctx: ApiContext): Page[] {
  return [...signInPages(ctx, { settings: ctx.auth, oidc: ctx.oidc }), ...allPages(ctx)];
}

/**
 * Checks the page's access rule before its handler: nobody signed in is sent to sign in and
 * brought back; someone signed in without the permission sees which permission it needs.
 */
function guarded(ctx: ApiContext, page: Page): RequestHandler {
  return async (req, res) => {
    try {
      if (!('public' in page.access)) {
        const actor = actorOf(req, res);
        if (actor.kind === 'anonymous') return redirectToSignIn(req, res);
        if (!actor.permissions.has(page.access.permission)) {
          return renderForbidden(res, page.access.permission);
        }
      }
      if (page.method === 'post' && page.oneTimeToken !== false) {
        await postOnce(ctx, req, res, () => answer(ctx, page, req, res));
      } else {
        await answer(ctx, page, req, res);
      }
    } catch (error) {
      renderError(error, req, res, ctx.logger);
    }
  };
}

/** The page's answer, an error page included: its status tells a one-time form what happened. */
async function answer(ctx: ApiContext, page: Page, req: Request, res: Response): Promise<void> {
  try {
    await page.handler(req, res);
  } catch (error) {
    renderError(error, req, res, ctx.logger);
  }
}

/**
 * The staff screens: design-system assets under /assets and every page. Mount after the
 * authentication, body-parser and CSRF middleware, which the screens rely on.
 */
export function webRouter(ctx: ApiContext): Router {
  const router = Router();
  router.use(assetsRouter());
  mountPages(router, ctx, webPages(ctx));
  return router;
}

/** Mounts pages with their access checks and error pages (e.g. the sign-in pages). */
export function mountPages(router: Router, ctx: ApiContext, pages: readonly Page[]): void {
  for (const page of pages) router[page.method](page.path, guarded(ctx, page));
}
