import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Permission } from '../domain/permissions';
import { actorOf, requirePermission } from './actor';
import { fieldErrorsFromZod, ProblemError, problemSchema } from './problem';

/**
 * One declaration per route gives three things from the same zod schemas: input validation,
 * response validation, and the route's entry in the OpenAPI document. A route cannot drift
 * from its documentation because there is nothing separate to drift.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnySchema = z.ZodType;

export type ResponseSpec = {
  description: string;
  /** Absent for responses without a JSON body. */
  schema?: AnySchema;
  /** Non-JSON bodies (e.g. Prometheus text) are documented by media type only. */
  contentType?: string;
};

/**
 * Every route says who may call it. `public` needs a reason, so that an open route is a
 * decision someone wrote down rather than an omission; the route-table test lists them.
 */
export type Access = { permission: Permission } | { public: string };

export type RouteSpec<
  Params extends AnySchema | undefined = undefined,
  Query extends AnySchema | undefined = undefined,
  Body extends AnySchema | undefined = undefined,
  Success extends AnySchema | undefined = AnySchema,
> = {
  method: HttpMethod;
  /** Express-style path, e.g. `/v1/probes/:probeId`. */
  path: string;
  operationId: string;
  access: Access;
  summary: string;
  tags: string[];
  params?: Params;
  query?: Query;
  body?: Body;
  successStatus: number;
  success: { description: string; schema?: Success; contentType?: string };
  /** Documented error responses besides the ones every route can give (400, 500). */
  errors?: Record<number, string>;
  /** What the optional Idempotency-Key header does here; absent: the route ignores it. */
  idempotencyKey?: string;
  /** A multipart/form-data body the route streams itself (an upload): its text parts and file. */
  upload?: { fields: Record<string, string>; file: string } | UploadFiles;
  handler: (input: HandlerInput<Params, Query, Body>) => Promise<HandlerOutput<Success>>;
};

/**
 * A multipart/form-data body of several small files, one part each, named as the file (a
 * council's CSV set): each file's description, and the files that must be sent.
 */
export type UploadFiles = { files: Record<string, string>; required: readonly string[] };

type Infer<S> = S extends AnySchema ? z.output<S> : undefined;

export type HandlerInput<Params, Query, Body> = {
  params: Infer<Params>;
  query: Infer<Query>;
  body: Infer<Body>;
  req: Request;
  res: Response;
};

/** A handler returns the body, or the body plus headers (e.g. Location). */
export type HandlerOutput<Success> =
  | Infer<Success>
  | { body: Infer<Success>; headers: Record<string, string>; status?: number; raw?: false };

// biome-ignore lint/suspicious/noExplicitAny: the registry holds routes of every shape.
export type AnyRoute = RouteSpec<any, any, any, any>;

export function defineRoute<
  Params extends AnySchema | undefined = undefined,
  Query extends AnySchema | undefined = undefined,
  Body extends AnySchema | undefined = undefined,
  Success extends AnySchema | undefined = AnySchema,
>(spec: RouteSpec<Params, Query, Body, Success>): RouteSpec<Params, Query, Body, Success> {
  return spec;
}

export const replyWith = <T>(body: T, headers: Record<string, string>, status?: number) => ({
  body,
  headers,
  status,
  raw: false as const,
});

function parsePart(location: string, schema: AnySchema | undefined, value: unknown): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ProblemError(
    'validation_failed',
    `The request ${location} is not valid`,
    fieldErrorsFromZod(location, result.error),
  );
}

function isReply(
  value: unknown,
): value is { body: unknown; headers: Record<string, string>; status?: number } {
  return typeof value === 'object' && value !== null && (value as { raw?: unknown }).raw === false;
}

export type RouteInput = { params?: unknown; query?: unknown; body?: unknown };
export type RouteResult = { status: number; headers: Record<string, string>; body: unknown };

/** Refuses a caller the route's access rule does not let in (401 or 403). */
export function authorizeRoute(route: AnyRoute, req: Request, res: Response): void {
  if ('public' in route.access) return;
  requirePermission(actorOf(req, res), route.access.permission);
}

/**
 * Authorizes, validates and runs one route. The HTTP API and the web screens both call it, so a
 * screen can do nothing the API would refuse and a rule lives in one place.
 */
export async function executeRoute(
  route: AnyRoute,
  raw: RouteInput,
  req: Request,
  res: Response,
): Promise<RouteResult> {
  authorizeRoute(route, req, res);
  const input = {
    params: parsePart('params', route.params, raw.params ?? {}),
    query: parsePart('query', route.query, raw.query ?? {}),
    body: parsePart('body', route.body, raw.body ?? {}),
    req,
    res,
  };
  const output = await route.handler(input);
  const reply = isReply(output) ? output : { body: output, headers: {}, status: undefined };
  const status = reply.status ?? route.successStatus;
  if (route.success.schema === undefined)
    return { status, headers: reply.headers, body: undefined };
  // A response that breaks its own schema is our bug, not the client's: fail loudly.
  const checked = route.success.schema.safeParse(reply.body);
  if (!checked.success) {
    throw new Error(`Response of ${route.operationId} breaks its schema: ${checked.error.message}`);
  }
  return { status, headers: reply.headers, body: checked.data };
}

function handlerFor(route: AnyRoute): RequestHandler {
  return async (req, res) => {
    const result = await executeRoute(
      route,
      { params: req.params, query: req.query, body: req.body },
      req,
      res,
    );
    // A handler that streamed its own response (a CSV download) has answered already.
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    if (route.success.schema === undefined) {
      res.status(result.status).end();
      return;
    }
    res.status(result.status).json(result.body);
  };
}

export function mountRoutes(router: Router, routes: readonly AnyRoute[]): void {
  for (const route of routes) router[route.method](route.path, handlerFor(route));
  router.use(methodNotAllowed(routes));
}

/** The methods declared for a path: GET brings HEAD, as Express answers HEAD with GET. */
export function allowedMethods(routes: readonly AnyRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    const pattern = new RegExp(`^${route.path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`);
    if (!pattern.test(path)) continue;
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
  }
  return [...methods].sort();
}

/**
 * A declared path asked with a method it does not have: 405 naming the ones it has (RFC 9110
 * §15.5.6), not a 404 that says the path does not exist. Runs after every declared route.
 */
function methodNotAllowed(routes: readonly AnyRoute[]): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/v1/')) return next();
    const allowed = allowedMethods(routes, req.path);
    if (allowed.length === 0) return next();
    res.set('Allow', allowed.join(', '));
    next(
      new ProblemError(
        'method_not_allowed',
        `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}`,
      ),
    );
  };
}

export const commonErrorResponses = {
  400: { description: 'Invalid request', schema: problemSchema },
  500: { description: 'Internal error', schema: problemSchema },
} as const;
