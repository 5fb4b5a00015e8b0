import type { TestStack } from '../harness/stack';

/**
 * Browsing the staff screens in tests as a browser would without JavaScript: HTML in, forms
 * posted as application/x-www-form-urlencoded, redirects not followed (so tests see them).
 */
export type PageResponse = {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
};

export type PageOptions = {
  form?: Record<string, string>;
  /** Principal whose every-permission key is sent (default `tester`). */
  as?: string;
  /** Sent as given; `{ Authorization: '' }` sends no credential at all. */
  headers?: Record<string, string>;
};

export function webClient(stack: TestStack) {
  return async function page(
    method: string,
    path: string,
    options: PageOptions = {},
  ): Promise<PageResponse> {
    const given = options.headers ?? {};
    const headers: Record<string, string> = { Accept: 'text/html', ...given };
    if (!('Authorization' in given)) Object.assign(headers, await stack.authHeaders(options.as));
    if (headers.Authorization === '') delete headers.Authorization;
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (options.form !== undefined) {
      init.body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(`${stack.baseUrl}${path}`, init);
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
      headers: response.headers,
    };
  };
}

const decode = (text: string) =>
  text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();

export function h1Of(html: string): string {
  const match = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return match === null ? '' : decode(match[1] ?? '');
}

export function titleOf(html: string): string {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/.exec(html);
  return match === null ? '' : decode(match[1] ?? '');
}

/** The GOV.UK error summary's entries: where each links and what it says. */
export function errorSummary(html: string): { href: string | null; text: string }[] {
  const block = /<div class="govuk-error-summary[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [
    ...block.matchAll(/<li>\s*(?:<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>|([\s\S]*?))\s*<\/li>/g),
  ].map((match) => ({ href: match[1] ?? null, text: decode(match[2] ?? match[3] ?? '') }));
}

/** The inline error message shown above one input (GOV.UK's `govuk-error-message`). */
export function inlineError(html: string, inputId: string): string | null {
  const match = new RegExp(
    `<p id="${inputId}-error" class="govuk-error-message">([\\s\\S]*?)</p>`,
  ).exec(html);
  return match === null ? null : decode(match[1] ?? '').replace(/^Error: /, '');
}

export function textOf(html: string): string {
  return decode(html.replace(/<script[\s\S]*?<\/script>/g, ''));
}

/** The first href of a link or button with this id. */
export function hrefOf(html: string, id: string): string | null {
  const match = new RegExp(
    `<a[^>]*href="([^"]*)"[^>]*id="${id}"|<a[^>]*id="${id}"[^>]*href="([^"]*)"`,
  ).exec(html);
  if (match === null) return null;
  return (match[1] ?? match[2] ?? '').replace(/&amp;/g, '&');
}

/** The hidden CSRF and one-time tokens of the form on this page that posts to `action`. */
export function formTokensOf(html: string, action: string): { _csrf: string; _form: string } {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`No form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1];
  return { _csrf: value('_csrf') ?? '', _form: value('_form') ?? '' };
}

/** A signed-in session's headers (a cookie, no API key), for pages that need a person. */
export async function signInSession(
  stack: TestStack,
  username: string,
  password: string,
): Promise<Record<string, string>> {
  const response = await webClient(stack)('POST', '/sign-in', {
    headers: { Authorization: '', Origin: stack.baseUrl },
    form: { username, password, next: '/' },
  });
  if (response.status !== 303) throw new Error(`sign-in as ${username}: ${response.status}`);
  return { Authorization: '', Cookie: response.headers.get('set-cookie')!.split(';')[0]! };
}
