import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the templates, our static files and the design systems' packages are on disk. */
const require = createRequire(import.meta.url);

/** `…/node_modules/govuk-frontend/dist` and the MOJ package root, wherever npm put them. */
export const govukDist = dirname(dirname(require.resolve('govuk-frontend')));
export const mojRoot = dirname(dirname(require.resolve('@ministryofjustice/frontend')));

/**
 * This folder when run from source; `web/` under the working directory when run from a build
 * (esbuild bundles the code into dist/ but leaves templates and static files where they are).
 */
function webDir(): string {
  const here = import.meta.dirname;
  if (existsSync(join(here, 'views'))) return here;
  return join(process.cwd(), 'web');
}

export const webRoot = webDir();
