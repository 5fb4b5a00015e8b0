import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { govukDist, mojRoot, webRoot } from './paths';

/**
 * The design systems' CSS, JavaScript and images, served from node_modules under /assets, and
 * our own under /assets/app. URLs carry `?v=<hash of the contents>` (see `assetVersion`), so
 * the files can be cached for a year and an upgrade still reaches every browser at once.
 */
const yearMs = 365 * 24 * 3_600_000;
const cached = { maxAge: yearMs, immutable: true, index: false, fallthrough: true } as const;

/**
 * A council's IMS is not on GOV.UK, and the GDS Transport typeface is licensed for GOV.UK
 * only: its @font-face rules and the name are taken out of the stylesheets, which then fall
 * back to Arial as GOV.UK Frontend intends for other services. (The crown is left out of the
 * header and footer for the same reason.)
 */
export function withoutTransport(css: string): string {
  return css
    .replace(/@font-face\{font-family:GDS Transport;[^}]*\}/g, '')
    .replace(/GDS Transport,\s*/g, '')
    .replace(/font-family:GDS Transport([;}])/g, 'font-family:arial,sans-serif$1');
}

type Stylesheet = { body: string; etag: string };

function stylesheet(path: string): Stylesheet {
  const body = withoutTransport(readFileSync(path, 'utf8'));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

function serveCss(sheet: () => Stylesheet): RequestHandler {
  let loaded: Stylesheet | undefined;
  return (req, res) => {
    loaded ??= sheet();
    res
      .set('Cache-Control', `public, max-age=${yearMs / 1000}, immutable`)
      .set('ETag', loaded.etag);
    if (req.get('If-None-Match') === loaded.etag) {
      res.status(304).end();
      return;
    }
    res.type('css').send(loaded.body);
  };
}

const govukCss = join(govukDist, 'govuk', 'govuk-frontend.min.css');
const mojCss = join(mojRoot, 'moj', 'moj-frontend.min.css');
const staticDir = join(webRoot, 'static');

let version: string | undefined;

/** A short hash over every asset the layout links to, for cache-busting query strings. */
export function assetVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash('sha256');
  for (const file of [
    govukCss,
    mojCss,
    join(govukDist, 'govuk', 'govuk-frontend.min.js'),
    join(mojRoot, 'moj', 'moj-frontend.min.js'),
    join(staticDir, 'app.js'),
    join(staticDir, 'app.css'),
  ]) {
    hash.update(readFileSync(file));
  }
  version = hash.digest('base64url').slice(0, 10);
  return version;
}

export function assetsRouter(): Router {
  const router = Router();
  router.get(
    '/assets/govuk-frontend.min.css',
    serveCss(() => stylesheet(govukCss)),
  );
  router.get(
    '/assets/moj-frontend.min.css',
    serveCss(() => stylesheet(mojCss)),
  );
  router.use('/assets/govuk', express.static(join(govukDist, 'govuk'), cached));
  router.use('/assets/moj', express.static(join(mojRoot, 'moj'), cached));
  // Both stylesheets refer to /assets/images/…; each package holds its own icons.
  router.use(
    '/assets/images',
    express.static(join(govukDist, 'govuk', 'assets', 'images'), cached),
  );
  router.use('/assets/images', express.static(join(mojRoot, 'moj', 'assets', 'images'), cached));
  router.use('/assets/app', express.static(staticDir, cached));
  return router;
}
