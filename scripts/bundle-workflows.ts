import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../platform/payloadCodec';

/** Builds the workflow bundle production workers load (WORKFLOW_BUNDLE_PATH), once, at build time. */
export async function bundleWorkflows(outputPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, '..', 'workflows', 'index.ts'),
    // Failures raised in workflow code are encoded inside the sandbox, so the bundle carries it.
    failureConverterPath,
    logger: {
      trace() {},
      debug() {},
      info() {},
      warn: console.warn,
      error: console.error,
      log() {},
    },
  });
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, code);
  return outputPath;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const out = await bundleWorkflows(resolve(process.argv[2] ?? 'dist/workflow-bundle.js'));
  process.stdout.write(`workflow bundle written to ${out}\n`);
}
