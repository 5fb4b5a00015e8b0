import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { request as requestAs } from './stack';

/** Shared by the tests of `npm start` and `npm run start:cluster`. */
export const adminPassword = 'correct horse battery staple';

/** The first administrator's journey: sign in with a password, then mint an API key. */
export async function signInAndCreateKey(
  baseUrl: string,
): Promise<{ auth: Record<string, string>; cookie: string }> {
  const signIn = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: adminPassword, next: '/' }),
    redirect: 'manual',
  });
  expect(signIn.status).toBe(303);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const me = await requestAs(baseUrl, 'GET', '/v1/me', undefined, { cookie });
  expect(me.body).toMatchObject({ id: 'admin', kind: 'user' });
  const created = await requestAs(
    baseUrl,
    'POST',
    '/v1/api-keys',
    {
      principal: 'smoke-test',
      description: 'start test',
      permissions: ['view', 'payment.take', 'operations'],
      fundGroups: null,
    },
    { cookie, 'X-CSRF-Token': me.body.csrfToken },
  );
  expect(created.status).toBe(201);
  return { auth: { Authorization: `Bearer ${created.body.key}` }, cookie };
}

export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output()}`)),
      timeoutMs,
    );
    const check = () => {
      if (pattern.test(output())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start exited with ${code} before ${pattern}; output:\n${output()}`));
    });
  });
}
