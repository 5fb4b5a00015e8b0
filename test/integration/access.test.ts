// Walks the whole route table (API and screens) and proves that no route is open by mistake:
// each non-public one refuses a caller with no credential and a caller who holds every
// permission but the one it needs, before any input is read.
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { type Permission, permissions } from '../../domain/permissions';
import { webPages } from '../../web/app';
import type { Page } from '../../web/page';
import { useTestStack } from '../harness/stack';

const stack = useTestStack({ worker: false });

/** Open on purpose, each with its reason written on the route. Adding one means adding it here. */
const publicApi = ['getHealth', 'getMetrics', 'receiveGovukPayWebhook', 'receiveNotifyCallback'];
const publicPages = ['GET /sign-in', 'POST /sign-in', 'POST /sign-out'];

/** A concrete path for a route pattern; the values need not exist: refusal comes first. */
function concrete(path: string): string {
  return path.replace(/:(\w+)/g, (_all, name: string) =>
    name === 'date' ? '2026-01-15' : `x-${name}`,
  );
}

const keys = new Map<Permission, Promise<Record<string, string>>>();
/** A key holding every permission except `missing`. */
function keyWithout(missing: Permission): Promise<Record<string, string>> {
  let key = keys.get(missing);
  if (key === undefined) {
    key = stack.keyFor(
      `all-but-${missing.replace(/\./g, '-')}`,
      permissions.filter((permission) => permission !== missing),
    );
    keys.set(missing, key);
  }
  return key;
}

const pageName = (page: Page) => `${page.method.toUpperCase()} ${page.path}`;

describe('access', () => {
  it('opens only the API routes and pages that say why they are public', () => {
    const routes = routeTable(stack.api);
    expect(
      routes.filter((route) => 'public' in route.access).map((route) => route.operationId),
    ).toEqual(publicApi);
    const pages = webPages(stack.api);
    expect(pages.filter((page) => 'public' in page.access).map(pageName)).toEqual(publicPages);
  });

  it('gives every permission at least one route, so none is granted for nothing', () => {
    const used = new Set(
      [...routeTable(stack.api), ...webPages(stack.api)].flatMap((entry) =>
        'permission' in entry.access ? [entry.access.permission] : [],
      ),
    );
    // Checked inside handlers rather than on a route of its own.
    used.add('payment.on_stop_override');
    expect([...permissions].filter((permission) => !used.has(permission))).toEqual([]);
  });

  it('refuses every protected API route without a credential (401) or without its permission (403)', async () => {
    const protectedRoutes = routeTable(stack.api).filter(
      (route): route is AnyRoute & { access: { permission: Permission } } =>
        'permission' in route.access,
    );
    expect(protectedRoutes.length).toBeGreaterThan(60);
    for (const route of protectedRoutes) {
      const path = concrete(route.path);
      const body = route.method === 'get' ? undefined : {};
      const anonymous = await stack.request(route.method.toUpperCase(), path, body, {
        Authorization: '',
      });
      expect(anonymous.status, `${route.operationId} without a credential`).toBe(401);
      const lacking = await stack.request(
        route.method.toUpperCase(),
        path,
        body,
        await keyWithout(route.access.permission),
      );
      expect(lacking.status, `${route.operationId} without ${route.access.permission}`).toBe(403);
      expect(lacking.body.detail).toContain(route.access.permission);
    }
  });

  it('sends anonymous visitors of every protected page to sign in, and refuses one without the permission', async () => {
    const pages = webPages(stack.api).filter(
      (page): page is Page & { access: { permission: Permission } } => 'permission' in page.access,
    );
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      const path = concrete(page.path);
      const method = page.method.toUpperCase();
      const response = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: method === 'GET' ? undefined : '',
        redirect: 'manual',
      });
      expect(response.status, `${pageName(page)} anonymous`).toBe(303);
      expect(response.headers.get('location'), pageName(page)).toMatch(/^\/sign-in\?next=/);
      const lacking = await stack.request(method, path, method === 'GET' ? undefined : '', {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        ...(await keyWithout(page.access.permission)),
      });
      expect(lacking.status, `${pageName(page)} without ${page.access.permission}`).toBe(403);
    }
  });

  it('refuses the Temporal codec endpoint to anyone without the operations permission', async () => {
    const body = { payloads: [] };
    const anonymous = await stack.request('POST', '/codec/decode', body, { Authorization: '' });
    expect(anonymous.status).toBe(401);
    const lacking = await stack.request(
      'POST',
      '/codec/decode',
      body,
      await keyWithout('operations'),
    );
    expect(lacking.status).toBe(403);
    const allowed = await stack.request('POST', '/codec/decode', body);
    expect(allowed.status).toBe(200);
  });
});
