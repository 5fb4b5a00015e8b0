import type { Request, Response } from 'express';
import type { Access } from '../api/route';

/**
 * A screen is a declaration, like an API route: its method, path and who may open it. The web
 * router checks `access` before the handler runs (anonymous → sign in, lacking the permission
 * → 403 page), and a test walks every page's rule. Handlers do their work through API routes
 * (`web/api.ts`), so a screen can never do what the API would refuse.
 */
export type Page = {
  method: 'get' | 'post';
  /** Express-style path, e.g. `/payments/:paymentId`. */
  path: string;
  access: Access;
  /** The page's heading, for tests and the route list; views set their own <title>. */
  title?: string;
  handler: (req: Request, res: Response) => Promise<void>;
};

export function definePage(page: Page): Page {
  return page;
}

/** A path parameter as a string (Express 5 types them loosely). */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** A query-string or form value as a trimmed string; repeated or nested values count as absent. */
export function field(source: unknown, name: string): string {
  if (typeof source !== 'object' || source === null) return '';
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Only the non-empty values, so an empty filter box is not sent to the API as a filter. */
export function present<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<T>;
}
