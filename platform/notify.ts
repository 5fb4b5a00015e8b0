import { randomBytes } from 'node:crypto';
import type { Config } from './config';

/**
 * GOV.UK Notify in development (docs/email.md): without NOTIFY_API_KEY, `npm start` runs the
 * local simulator (notify/simulator/server.ts) with this well-known key, and points the worker
 * at it. Any real deployment sets its own key and leaves NOTIFY_BASE_URL unset.
 */
export const developmentNotifyApiKey =
  'ims_dev-7d1f7a2e-0c39-4bb2-9a57-5a7f3b1e2c10-0f7e3a55-6c2b-4d1e-9f8a-1b2c3d4e5f60';

export type DevelopmentNotify = {
  /** For the worker and API. */
  env: NodeJS.ProcessEnv;
  /** For the simulator's process. */
  simulatorEnv: NodeJS.ProcessEnv;
  url: string;
};

/** Null when Notify is configured (or in production, where the simulator never runs). */
export function developmentNotify(config: Config): DevelopmentNotify | null {
  if (config.NOTIFY_API_KEY !== undefined || config.NODE_ENV === 'production') return null;
  const url = `http://127.0.0.1:${config.NOTIFY_SIMULATOR_PORT}`;
  const callbackToken = randomBytes(24).toString('base64url');
  return {
    url,
    env: {
      NOTIFY_API_KEY: developmentNotifyApiKey,
      NOTIFY_BASE_URL: url,
      NOTIFY_CALLBACK_TOKEN: callbackToken,
    },
    simulatorEnv: {
      NOTIFY_SIMULATOR_PORT: String(config.NOTIFY_SIMULATOR_PORT),
      NOTIFY_SIMULATOR_API_KEYS: developmentNotifyApiKey,
      NOTIFY_SIMULATOR_CALLBACK_URL: `http://${config.HOST}:${config.PORT}/v1/notify/callbacks`,
      NOTIFY_SIMULATOR_CALLBACK_TOKEN: callbackToken,
    },
  };
}
