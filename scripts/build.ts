import { copyFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleWorkflows } from './bundle-workflows';

/**
 * Production build: each entry point becomes one ESM file in dist/ with node_modules left
 * external, plus the prebuilt workflow bundle the production worker loads.
 */
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    worker: 'worker.ts',
    'api/server': 'api/server.ts',
    'scripts/migrate': 'scripts/migrate.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
await bundleWorkflows('dist/workflow-bundle.js');
// Loaded by path at run time (platform/payloadCodec.ts `failureConverterPath`), not bundled:
// beside each bundle that loads it, since the path is relative to the bundle's own folder.
copyFileSync('platform/failureConverter.cjs', 'dist/failureConverter.cjs');
copyFileSync('platform/failureConverter.cjs', 'dist/api/failureConverter.cjs');
process.stdout.write('built dist/\n');
