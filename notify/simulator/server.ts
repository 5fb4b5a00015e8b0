import { z } from 'zod';
import { isEntryPoint } from '../../platform/entry';
import { createNotifySimulator } from './notifySimulator';

/**
 * Runs the GOV.UK Notify simulator as a process for `npm start`: `tsx notify/simulator/server.ts`,
 * configured by NOTIFY_SIMULATOR_* variables. GET / lists what it was sent, for a developer to
 * read the receipts the IMS wrote. Ctrl-C or SIGTERM closes it.
 */
const settings = z.object({
  NOTIFY_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65_535).default(3200),
  NOTIFY_SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated full Notify API keys it accepts. */
  NOTIFY_SIMULATOR_API_KEYS: z.string().min(74),
  NOTIFY_SIMULATOR_CALLBACK_URL: z.url().optional(),
  NOTIFY_SIMULATOR_CALLBACK_TOKEN: z.string().min(1).optional(),
});

export async function runNotifySimulator(env: NodeJS.ProcessEnv = process.env) {
  const config = settings.parse(env);
  const simulator = createNotifySimulator({
    apiKeys: config.NOTIFY_SIMULATOR_API_KEYS.split(',').map((key) => key.trim()),
    ...(config.NOTIFY_SIMULATOR_CALLBACK_URL === undefined
      ? {}
      : { callbackUrl: config.NOTIFY_SIMULATOR_CALLBACK_URL }),
    ...(config.NOTIFY_SIMULATOR_CALLBACK_TOKEN === undefined
      ? {}
      : { callbackBearerToken: config.NOTIFY_SIMULATOR_CALLBACK_TOKEN }),
    deliveryDelayMs: 1_000,
  });
  return simulator.start(config.NOTIFY_SIMULATOR_PORT, config.NOTIFY_SIMULATOR_HOST);
}

if (isEntryPoint(import.meta.url)) {
  try {
    const server = await runNotifySimulator();
    process.stdout.write(`GOV.UK Notify simulator listening on ${server.url}\n`);
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    process.stderr.write(`Notify simulator: ${error.message}\n`);
    process.exit(78); // EX_CONFIG, as platform/config.ts
  }
}
