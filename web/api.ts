import type { Request, Response } from 'express';
import { routeTable } from '../api/app';
import type { ApiContext } from '../api/context';
import { type AnyRoute, executeRoute, type RouteInput } from '../api/route';

/**
 * Screens call the API's own route declarations in-process: the same permission check, the
 * same validation, the same handler. A screen therefore cannot do anything the API would
 * refuse, and a business rule lives in one place.
 */
const tables = new WeakMap<ApiContext, Map<string, AnyRoute>>();

function routesOf(ctx: ApiContext): Map<string, AnyRoute> {
  let table = tables.get(ctx);
  if (table === undefined) {
    table = new Map(routeTable(ctx).map((route) => [route.operationId, route]));
    tables.set(ctx, table);
  }
  return table;
}

export function routeFor(ctx: ApiContext, operationId: string): AnyRoute {
  const route = routesOf(ctx).get(operationId);
  // A screen naming a route that does not exist is our bug: fail loudly.
  if (route === undefined) throw new Error(`No API route with operationId ${operationId}`);
  return route;
}

/**
 * Runs one API route for this request and returns its body. Errors are the route's own
 * (`ProblemError`), for the page to show on its form or to turn into an error page.
 */
export async function callApi<T>(
  ctx: ApiContext,
  operationId: string,
  input: RouteInput,
  req: Request,
  res: Response,
): Promise<T> {
  const result = await executeRoute(routeFor(ctx, operationId), input, req, res);
  return result.body as T;
}

/** The bound form for one request: `api('getPayment', { params })`. */
export function apiFor(ctx: ApiContext, req: Request, res: Response) {
  return <T>(operationId: string, input: RouteInput = {}) =>
    callApi<T>(ctx, operationId, input, req, res);
}
