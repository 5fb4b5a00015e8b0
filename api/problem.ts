import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/**
 * The one table of operating errors the API can answer with. Every error leaves as
 * application/problem+json (RFC 9457) naming the offending field where there is one.
 */
export const problemCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_body: { status: 400, title: 'The request body could not be read' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'The request cannot be carried out' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  dependency_unavailable: { status: 503, title: 'A service the IMS depends on is unavailable' },
} as const;

export type ProblemCode = keyof typeof problemCodes;

export type FieldError = { field: string; message: string };

/** What a problem may carry besides its words: response headers and RFC 9457 extension members. */
export type ProblemExtras = {
  /** e.g. Retry-After on a 503, Location of what the request did keep. */
  headers?: Record<string, string>;
  /** Members added to the body, e.g. the id of the payment that was kept. */
  extensions?: Record<string, string | number>;
};

export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extras: ProblemExtras = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export const problemSchema = z
  .object({
    type: z.string().describe('A URN naming the problem code'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().describe('The request path'),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field, e.g. `body.lines[0].amountPence`'),
    paymentId: z
      .string()
      .optional()
      .describe('On a 503 from POST /v1/payments: the payment that was kept, still being retried'),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

/** `body.lines[0].amountPence` style names, which a form can map straight onto its inputs. */
export function fieldPath(location: string, path: readonly PropertyKey[]): string {
  let name = location;
  for (const key of path) name += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return name;
}

export function fieldErrorsFromZod(location: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: fieldPath(location, issue.path),
    message: issue.message,
  }));
}

export function problemBody(
  code: ProblemCode,
  detail: string,
  instance: string,
  requestId: string,
  errors: FieldError[] = [],
): Problem {
  const { status, title } = problemCodes[code];
  return {
    type: `urn:ims:problem:${code}`,
    title,
    status,
    detail,
    instance,
    requestId,
    ...(errors.length > 0 ? { errors } : {}),
  };
}

/** Body-parser errors carry a `type`; map the ones a client can cause to their own codes. */
function fromParserError(error: { type?: string; message: string }): ProblemError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ProblemError('malformed_body', `The body is not valid JSON: ${error.message}`, [
        { field: 'body', message: 'must be valid JSON' },
      ]);
    case 'entity.too.large':
      return new ProblemError('payload_too_large', 'The request body exceeds the size limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProblemError('unsupported_media_type', error.message);
    default:
      return null;
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ProblemError('not_found', `No route for ${req.method} ${req.path}`));
};

export function problemErrorHandler(onUnexpected: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem =
      error instanceof ProblemError
        ? error
        : (typeof error === 'object' &&
            error !== null &&
            'type' in error &&
            fromParserError(error as { type?: string; message: string })) ||
          null;
    const requestId = String(res.locals.requestId ?? '');
    if (problem === null) {
      onUnexpected(error);
      const body = problemBody(
        'internal',
        'Something went wrong; quote the request id when reporting it',
        req.originalUrl,
        requestId,
      );
      res.status(500).type('application/problem+json').send(JSON.stringify(body));
      return;
    }
    const body = problemBody(
      problem.code,
      problem.detail,
      req.originalUrl,
      requestId,
      problem.errors,
    );
    for (const [name, value] of Object.entries(problem.extras.headers ?? {})) res.set(name, value);
    res
      .status(body.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem.extras.extensions, ...body }));
  };
}
