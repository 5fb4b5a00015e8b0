import type { Request, Response } from 'express';
import { ProblemError } from '../api/problem';
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
  /**
   * Posts only: false for the few forms a replay cannot harm and that must work without a
   * drawn page (signing in and out). Every other post is run once per form (web/oneTimeForms.ts).
   */
  oneTimeToken?: false;
  handler: (req: Request, res: Response) => Promise<void>;
};

export function definePage(page: Page): Page {
  return page;
}

type Handler = Page['handler'];

/** A screen a link opens; its heading names it in tests and the route list. */
export function getPage(path: string, access: Access, title: string, handler: Handler): Page {
  return { method: 'get', path, access, title, handler };
}

/** A form's target: it redirects or shows its form again, so it has no heading of its own. */
export function postPage(path: string, access: Access, handler: Handler): Page {
  return { method: 'post', path, access, handler };
}

/** A path parameter as a string (Express 5 types them loosely). */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** A path parameter that must be well formed: anything else is a page that does not exist. */
export function addressed(
  req: Request,
  name: string,
  isValid: (value: string) => boolean,
  what: string,
): string {
  const value = param(req, name);
  if (!isValid(value)) throw new ProblemError('not_found', `No ${what} ${value}`);
  return value;
}

/** A query-string or form value as a trimmed string; repeated or nested values count as absent. */
export function field(source: unknown, name: string): string {
  if (typeof source !== 'object' || source === null) return '';
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A list as the urlencoded parser gives it (one value a string, several an array); no blanks. */
export function listOf(source: unknown, name: string): string[] {
  const value =
    typeof source === 'object' && source !== null
      ? (source as Record<string, unknown>)[name]
      : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** Only the non-empty values, so an empty filter box is not sent to the API as a filter. */
export function present<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<T>;
}
