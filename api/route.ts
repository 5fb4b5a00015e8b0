import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
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
  summary: string;
  tags: string[];
  params?: Params;
  query?: Query;
  body?: Body;
  successStatus: number;
  success: { description: string; schema?: Success; contentType?: string };
  /** Documented error responses besides the ones every route can give (400, 500). */
  errors?: Record<number, string>;
  handler: (input: HandlerInput<Params, Query, Body>) => Promise<HandlerOutput<Success>>;
};

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

function handlerFor(route: AnyRoute): RequestHandler {
  return async (req, res) => {
    const input = {
      params: parsePart('params', route.params, req.params),
      query: parsePart('query', route.query, req.query),
      body: parsePart('body', route.body, req.body ?? {}),
      req,
      res,
    };
    const output = await route.handler(input);
    if (res.headersSent) return;
    const reply = isReply(output) ? output : { body: output, headers: {}, status: undefined };
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
    const status = reply.status ?? route.successStatus;
    if (route.success.schema === undefined) {
      res.status(status).end();
      return;
    }
    // A response that breaks its own schema is our bug, not the client's: fail loudly.
    const checked = route.success.schema.safeParse(reply.body);
    if (!checked.success) {
      throw new Error(
        `Response of ${route.operationId} breaks its schema: ${checked.error.message}`,
      );
    }
    res.status(status).json(checked.data);
  };
}

export function mountRoutes(router: Router, routes: readonly AnyRoute[]): void {
  for (const route of routes) router[route.method](route.path, handlerFor(route));
}

export const commonErrorResponses = {
  400: { description: 'Invalid request', schema: problemSchema },
  500: { description: 'Internal error', schema: problemSchema },
} as const;
