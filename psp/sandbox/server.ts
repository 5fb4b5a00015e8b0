import { isEntryPoint } from '../../platform/entry';
import { parseSandboxConfig, SandboxConfigError } from './config';
import { createSandboxPsp, type SandboxServer } from './sandboxPsp';

/**
 * Runs the sandbox PSP as a process: `tsx psp/sandbox/server.ts`, configured by SANDBOX_PSP_*
 * variables (psp/sandbox/config.ts). Ctrl-C or SIGTERM closes it.
 */
export async function runSandboxServer(
  env: NodeJS.ProcessEnv = process.env,
): Promise<SandboxServer> {
  const config = parseSandboxConfig(env);
  const sandbox = createSandboxPsp({
    apiKeys: config.SANDBOX_PSP_API_KEYS,
    expiryMs: config.SANDBOX_PSP_EXPIRY_MS,
    ...(config.SANDBOX_PSP_WEBHOOK_URL === undefined
      ? {}
      : { webhookUrl: config.SANDBOX_PSP_WEBHOOK_URL }),
    ...(config.SANDBOX_PSP_WEBHOOK_SECRET === undefined
      ? {}
      : { webhookSecret: config.SANDBOX_PSP_WEBHOOK_SECRET }),
    ...(config.SANDBOX_PSP_PUBLIC_URL === undefined
      ? {}
      : { publicUrl: config.SANDBOX_PSP_PUBLIC_URL }),
  });
  return sandbox.start(config.SANDBOX_PSP_PORT, config.SANDBOX_PSP_HOST);
}

if (isEntryPoint(import.meta.url)) {
  try {
    const server = await runSandboxServer();
    process.stdout.write(`sandbox PSP listening on ${server.url} (hosted pages at /pay/{id})\n`);
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (!(error instanceof SandboxConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG, as platform/config.ts
  }
}
