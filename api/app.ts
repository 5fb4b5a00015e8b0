import { randomBytes } from 'node:crypto';
import express, { type Express, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { defaultCouncilId } from '../domain/council';
import { webErrorHandler, webNotFound, webRouter } from '../web/app';
import { temporalUiRouter } from '../web/temporalUi';
import { actorOf, requirePermission } from './actor';
import { authenticate, councilScope, defaultAuthSettings, requireCsrf } from './auth/authenticate';
import { codecRouter, temporalUiOrigins } from './codecServer';
import type { ApiContext } from './context';
import { councilLimitsReader, councilRateLimit } from './councilLimits';
import { buildOpenApiDocument } from './openapi';
import { notFoundHandler, ProblemError, problemErrorHandler } from './problem';
import { requestId } from './requestId';
import { type AnyRoute, mountRoutes } from './route';
import { accountHolderEditRoutes } from './routes/accountHolderEdits';
import { accountHolderRoutes } from './routes/accountHolders';
import { auditRoutes } from './routes/audit';
import { bankReconciliationRoutes } from './routes/bankReconciliation';
import { cashDeskRoutes } from './routes/cashDesk';
import { cashReturnRoutes } from './routes/cashReturns';
import { closeOfDayRoutes } from './routes/closeOfDay';
import { configurationRoutes } from './routes/configuration';
import { councilSecretRoutes } from './routes/councilSecrets';
import { councilRoutes } from './routes/councils';
import { emailRoutes } from './routes/emails';
import { fundRoutes } from './routes/funds';
import { healthRoutes } from './routes/health';
import { identityRoutes } from './routes/identity';
import { importProfileEditRoutes } from './routes/importProfileEdits';
import { importProfileRoutes } from './routes/importProfiles';
import { importRuleRoutes } from './routes/importRules';
import { importRoutes } from './routes/imports';
import { journalApprovalRoutes } from './routes/journalApprovals';
import { journalRoutes } from './routes/journals';
import { ledgerRoutes } from './routes/ledger';
import { operationsRoutes } from './routes/operations';
import { paymentRoutes } from './routes/payments';
import { probeRoutes } from './routes/probes';
import { reconciliationRoutes } from './routes/reconciliation';
import { referenceRouteRoutes } from './routes/referenceRoutes';
import { referenceRoutes } from './routes/references';
import { refundRoutes } from './routes/refunds';
import { reportRoutes } from './routes/reports';
import { suspenseRoutes } from './routes/suspense';
import { suspenseTogetherRoutes } from './routes/suspenseTogether';
import { transactionRoutes } from './routes/transactions';
import { webhookDeliveryRoutes } from './routes/webhookDeliveries';
import { webhookSubscriptionRoutes } from './routes/webhookSubscriptions';
import { webhookRoutes } from './routes/webhooks';

export function routeTable(ctx: ApiContext): AnyRoute[] {
  return [
    ...healthRoutes(ctx),
    ...probeRoutes(ctx),
    ...paymentRoutes(ctx),
    ...cashDeskRoutes(ctx),
    ...cashReturnRoutes(ctx),
    ...webhookRoutes(ctx),
    ...importRoutes(ctx),
    // The preview before `/v1/import-profiles/:profileId`-shaped routes.
    ...importProfileEditRoutes(ctx),
    ...importProfileRoutes(ctx),
    ...ledgerRoutes(ctx),
    ...transactionRoutes(ctx),
    ...auditRoutes(ctx),
    ...configurationRoutes(ctx),
    ...fundRoutes(ctx),
    ...accountHolderRoutes(ctx),
    ...accountHolderEditRoutes(ctx),
    ...referenceRouteRoutes(ctx),
    ...referenceRoutes(ctx),
    ...importRuleRoutes(ctx),
    ...suspenseTogetherRoutes(ctx),
    ...suspenseRoutes(ctx),
    ...refundRoutes(ctx),
    ...journalRoutes(ctx),
    ...journalApprovalRoutes(ctx),
    ...closeOfDayRoutes(ctx),
    ...reconciliationRoutes(ctx),
    ...bankReconciliationRoutes(ctx),
    ...reportRoutes(ctx),
    ...identityRoutes(ctx),
    ...operationsRoutes(ctx),
    ...councilRoutes(ctx),
    ...councilSecretRoutes(ctx),
    ...webhookSubscriptionRoutes(ctx),
    ...webhookDeliveryRoutes(ctx),
    ...emailRoutes(ctx),
  ];
}

function publicRateLimit(windowMs: number, limit: number) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new ProblemError('rate_limited', 'Too many requests from this address: slow down')),
  });
}

export function createApp(ctx: ApiContext): Express {
  ctx.councilLimits ??= councilLimitsReader(ctx.sql);
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS proxy, req.ip (rate limits, audit) and req.protocol come from its headers.
  app.set('trust proxy', ctx.trustProxy ?? false);
  app.use(requestId);
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // GOV.UK Frontend's template sets a js-enabled class with one inline script.
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`,
          ],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // The Temporal UI (another origin) fetches the codec endpoint; CORS there decides.
      crossOriginResourcePolicy: { policy: 'same-site' },
      // Not helmet's no-referrer: under it browsers send `Origin: null` on form posts, and the
      // sign-in form's login-CSRF check needs the real origin. Other sites still get nothing.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (_req, res) => String(res.getHeader('X-Request-Id')),
      // Request bodies and query strings can hold references and names: log the route only.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    }),
  );
  app.use(ctx.metrics.middleware);
  // Public endpoints get a ceiling per address, so a flood is refused before it costs a signature
  // check or a provider round trip. Generous: GOV.UK Pay sends one webhook per payment event.
  app.use('/v1/webhooks', publicRateLimit(60_000, 12_000));
  app.use('/sign-in/oidc', publicRateLimit(60_000, 60));
  // Per address, whatever the username: stops spraying one password over many accounts (and
  // the argon2 work each try costs). The per-username limit lives with the sign-in page.
  // Generous: a council's staff often share one outgoing address.
  app.post('/sign-in', publicRateLimit(60_000, 120));
  // Webhook signatures are over the exact bytes sent, so those routes get the raw body.
  app.use('/v1/webhooks', express.raw({ type: () => true, limit: '1mb' }));
  app.use(authenticate(ctx, ctx.auth ?? defaultAuthSettings));
  if (ctx.temporalUiUpstream !== undefined) {
    app.use(
      temporalUiRouter({
        upstream: ctx.temporalUiUpstream,
        homeCouncilId: defaultCouncilId,
        logger: ctx.logger,
      }),
    );
  }
  // Before the JSON parser: a history's payloads can exceed its 1 MB limit.
  app.use(
    codecRouter({
      codecs: ctx.temporal.options.loadedDataConverter.payloadCodecs,
      allowedOrigins: temporalUiOrigins(),
      councilOf: (req, res) => actorOf(req, res).councilId,
      authorize: (req, res) => {
        const actor = actorOf(req, res);
        requirePermission(actor, 'operations');
        // Payloads of every fund decrypt here: someone limited to some funds may not.
        if (actor.fundScope !== 'all') {
          throw new ProblemError(
            'forbidden',
            'Decrypting workflow payloads needs every fund group',
          );
        }
        return true;
      },
    }),
  );
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(requireCsrf);
  app.use(councilScope);
  app.use(councilRateLimit(ctx.councilLimits));

  const routes = routeTable(ctx);
  const router = Router();
  mountRoutes(router, routes);
  const document = buildOpenApiDocument(routes, { version: ctx.version });
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(router);
  app.use(webRouter(ctx));
  app.use(webNotFound);
  app.use(notFoundHandler);
  app.use(webErrorHandler(ctx.logger));
  app.use(problemErrorHandler((error) => ctx.logger.error({ err: error }, 'unhandled error')));
  return app;
}
