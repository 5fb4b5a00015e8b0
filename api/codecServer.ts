import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { type Config, ConfigError, configSchema } from '../platform/config';
import { withCouncil } from '../platform/councilScope';
import { PayloadOfOtherCouncilError } from '../platform/payloadCodec';
import { fieldErrorsFromZod, ProblemError } from './problem';

/**
 * The remote codec endpoint the Temporal Web UI (and `temporal` CLI) call to show encrypted
 * payloads (platform/payloadCodec.ts) in clear to someone allowed to see them:
 *
 *   POST /codec/decode and POST /codec/encode
 *   body and answer: {"payloads":[{"metadata":{"encoding":"<base64>",…},"data":"<base64>"}]}
 *
 * The UI sends `X-Namespace` (accepted, not needed: one key set serves every namespace) and,
 * with "include credentials" on, the caller's cookies. Only the Temporal UI's own origins get
 * CORS headers; any other browser origin is refused. Both routes ask `authorize` first, before
 * the body is even read: false answers 403 (unless `authorize` has answered itself), and a
 * ProblemError it throws (e.g. `unauthorized` for nobody signed in) answers as usual.
 *
 * Mounting (api/app.ts), BEFORE the app-wide `express.json` so that this router's own body limit
 * applies (a history's payloads can exceed 1 MB):
 *
 *   app.use(codecRouter({
 *     codecs: ctx.temporal.options.loadedDataConverter.payloadCodecs,
 *     allowedOrigins: temporalUiOrigins(),
 *     authorize: (req, res) => <the caller holds the `operations` permission>,
 *   }));
 *
 * Errors are thrown as ProblemError and rendered by the app's problemErrorHandler.
 */
export type CodecRouterOptions = {
  /** Applied in order to encode and in reverse to decode, as the Temporal SDK does. */
  codecs: readonly PayloadCodec[];
  /** Browser origins allowed to call, e.g. `http://localhost:8233`. */
  allowedOrigins: readonly string[];
  authorize: (req: Request, res: Response) => boolean | Promise<boolean>;
  /**
   * The caller's council: codecs run in it, and ours refuse payloads of any other
   * (platform/payloadCodec.ts), so one council's operators cannot read another's histories.
   */
  councilOf?: (req: Request, res: Response) => string | undefined;
  /** Largest request body; default 8 MB. */
  bodyLimit?: string;
};

export const codecAllowedHeaders = 'content-type, x-namespace, authorization';

/** TEMPORAL_UI_ORIGIN, or http://localhost and http://127.0.0.1 on TEMPORAL_UI_PORT. */
export function temporalUiOrigins(
  config: Pick<Config, 'TEMPORAL_UI_ORIGIN' | 'TEMPORAL_UI_PORT'> = uiSettingsFrom(process.env),
): string[] {
  return (
    config.TEMPORAL_UI_ORIGIN ?? [
      `http://localhost:${config.TEMPORAL_UI_PORT}`,
      `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    ]
  );
}

/** Only the two variables, so an unrelated bad one cannot break this. */
function uiSettingsFrom(env: NodeJS.ProcessEnv) {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema
    .pick({ TEMPORAL_UI_ORIGIN: true, TEMPORAL_UI_PORT: true })
    .safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  );
}

// Standard or URL-safe base64, padded or not, as protobuf's JSON mapping allows.
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadJson = z.object({
  metadata: z.record(z.string(), base64).optional(),
  data: base64.optional(),
});
const codecBody = z.object({ payloads: z.array(payloadJson) });
type PayloadJson = z.infer<typeof payloadJson>;

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? new Uint8Array()).toString('base64');

function fromJson(payload: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, fromBase64(value)]),
    ),
    data: fromBase64(payload.data ?? ''),
  };
}

function toJson(payload: Payload): Required<PayloadJson> {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, toBase64(value)]),
    ),
    data: toBase64(payload.data),
  };
}

export function codecRouter(options: CodecRouterOptions): Router {
  const allowed = new Set(options.allowedOrigins);
  const router = Router();

  // CORS for the Temporal UI: credentials allowed, so the origin must be named, never `*`.
  router.use('/codec', (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    const sameOrigin = origin === `${req.protocol}://${req.get('host')}`;
    const permitted = origin !== undefined && allowed.has(origin);
    if (permitted) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      if (!permitted)
        return next(new ProblemError('forbidden', 'This origin may not call the codec endpoint'));
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', codecAllowedHeaders);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    // Another site's page may not make a signed-in browser decode for it.
    if (origin !== undefined && !permitted && !sameOrigin)
      return next(new ProblemError('forbidden', 'This origin may not call the codec endpoint'));
    next();
  });

  const authorize: RequestHandler = async (req, res, next) => {
    const allowedToCall = await options.authorize(req, res);
    if (allowedToCall) return next();
    if (res.headersSent) return;
    next(new ProblemError('forbidden', 'Not allowed to encode or decode workflow payloads'));
  };
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json'))
      return next(new ProblemError('unsupported_media_type', 'Send application/json'));
    next();
  };
  const json = express.json({ limit: options.bodyLimit ?? '8mb', type: 'application/json' });

  const handle =
    (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const parsed = codecBody.safeParse(req.body);
      if (!parsed.success)
        throw new ProblemError(
          'validation_failed',
          'The body must be {"payloads":[{"metadata":{…},"data":"…"}]} with base64 values',
          fieldErrorsFromZod('body', parsed.error),
        );
      let payloads = parsed.data.payloads.map(fromJson);
      const codecs = direction === 'encode' ? options.codecs : [...options.codecs].reverse();
      const council = options.councilOf?.(req, res);
      const run = async () => {
        for (const codec of codecs) payloads = await codec[direction](payloads);
      };
      try {
        await (council === undefined ? run() : withCouncil(council, run));
      } catch (error) {
        if (error instanceof PayloadOfOtherCouncilError)
          throw new ProblemError('forbidden', error.message);
        // Our codec's messages name a key id at most, never key material or payload content.
        throw new ProblemError(
          'unprocessable',
          error instanceof Error ? error.message : `The payloads could not be ${direction}d`,
        );
      }
      res.set('Cache-Control', 'no-store');
      res.json({ payloads: payloads.map(toJson) });
    };

  router.post('/codec/encode', authorize, requireJson, json, handle('encode'));
  router.post('/codec/decode', authorize, requireJson, json, handle('decode'));
  return router;
}
