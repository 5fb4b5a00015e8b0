// Proves the Temporal Web UI is served by the IMS at /temporal (#19, defect 4): on the IMS's
// own origin, so the UI's codec calls carry the operator's session and decode with no setting;
// only to a signed-in operator of the install's own council; never with the IMS session cookie
// passed on; the operations screen links there; and a UI that does not answer gets a clear page.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashPassword } from '../../api/auth/passwords';
import { createUser } from '../../db/identity';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import type { Permission } from '../../domain/permissions';
import { cookiesForUpstream } from '../../web/temporalUi';
import { useTestStack } from '../harness/stack';
import { h1Of, signInSession, webClient } from './webHelpers';

const stack = useTestStack({ temporalUi: true });
const page = webClient(stack);
const password = 'a temporal ui passphrase';
const sessions: Record<'operator' | 'clerk', Record<string, string>> = { operator: {}, clerk: {} };

async function newUser(username: string, permissions: Permission[]) {
  await createUser(
    stack.database.db,
    {
      username,
      displayName: username,
      passwordHash: await hashPassword(password),
      permissions,
      fundGroups: null,
    },
    { actor: 'system:test' },
  );
}

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  await newUser('ui.operator', ['view', 'operations']);
  await newUser('ui.clerk', ['view']);
  sessions.operator = await signInSession(stack, 'ui.operator', password);
  sessions.clerk = await signInSession(stack, 'ui.clerk', password);
});

describe('the Temporal Web UI at /temporal', () => {
  it('is served to a signed-in operator, with the codec on the same origin', async () => {
    const home = await page('GET', '/temporal/', { headers: sessions.operator });
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.html).toContain('/temporal/');
    const settings = await page('GET', '/temporal/api/v1/settings', {
      headers: { ...sessions.operator, Accept: 'application/json' },
    });
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.html).Codec).toMatchObject({ Endpoint: '/codec' });
  });

  it('sends nobody signed in to sign in, and refuses API keys and staff without operations', async () => {
    const anonymous = await page('GET', '/temporal/namespaces/default/workflows', {
      headers: { Authorization: '' },
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(
      `/sign-in?next=${encodeURIComponent('/temporal/namespaces/default/workflows')}`,
    );
    const clerk = await page('GET', '/temporal/', { headers: sessions.clerk });
    expect(clerk.status).toBe(403);
    expect(clerk.html).toContain('operations');
    const key = await page('GET', '/temporal/');
    expect(key.status).toBe(403);
    expect(key.html).toContain('for staff who have signed in');
  });

  it('refuses a state-changing request another site made the browser send', async () => {
    const forged = await page('POST', '/temporal/api/v1/namespaces/default/workflows/x/terminate', {
      headers: { ...sessions.operator, Origin: 'https://elsewhere.example' },
      form: { reason: 'forged' },
    });
    expect(forged.status).toBe(403);
  });

  it('never passes the IMS session cookie to the UI', () => {
    expect(cookiesForUpstream('ims_session=secret; _csrf=ui-token')).toBe('_csrf=ui-token');
    expect(cookiesForUpstream('ims_session=secret')).toBeUndefined();
    expect(cookiesForUpstream(undefined)).toBeUndefined();
  });

  it('links from the operations screen to the UI on the IMS origin', {
    timeout: 60_000,
  }, async () => {
    // No PSP is configured in this file, so the payment's PSP call fails and it is listed.
    const payment = await stack.request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 4_200 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    });
    const workflowId: string = payment.body.paymentId;
    type Row = { workflowId: string; temporalUiUrl: string };
    let row: Row | undefined;
    // Temporal's visibility store lists a new workflow a moment after it starts.
    for (let attempt = 0; attempt < 120 && row === undefined; attempt++) {
      const listed = await stack.request('GET', '/v1/operations/stuck');
      row = (listed.body.workflows as Row[]).find((workflow) => workflow.workflowId === workflowId);
      if (row === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(row?.temporalUiUrl).toBe(
      `/temporal/namespaces/${stack.info.namespace}/workflows/${workflowId}`,
    );
  });
});

describe('the Temporal Web UI when it does not answer', () => {
  let server: Server | undefined;
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('shows a page that says so, and the rest of the IMS carries on', async () => {
    const app = createApp({ ...stack.api, temporalUiUpstream: 'http://127.0.0.1:9' });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const response = await fetch(`http://127.0.0.1:${address.port}/temporal/`, {
      headers: { Accept: 'text/html', Cookie: sessions.operator.Cookie! },
    });
    expect(response.status).toBe(502);
    expect(h1Of(await response.text())).toBe('The Temporal Web UI is not answering');
  });
});
