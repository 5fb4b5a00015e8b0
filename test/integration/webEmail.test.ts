// The email and webhook screens of issue 13 work without JavaScript: the email templates form
// saves per-fund and every-fund templates through the API and shows a refusal on the input it
// names; the email log lists and filters the council's emails; a webhook subscription can be
// changed on screen.
import { beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { newId } from '../../domain/ids';
import { useTestStack } from '../harness/stack';
import { errorSummary, h1Of, textOf, webClient } from './webHelpers';

const stack = useTestStack({ worker: false });
const page = webClient(stack);
const receiptTemplate = '44444444-4444-4444-8444-444444444444';
const libraryTemplate = '55555555-5555-4555-8555-555555555555';

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
});

describe('email templates screen', () => {
  it('saves an every-fund and a fund’s own template, and shows them again', async () => {
    const form = await page('GET', '/configuration/email-templates');
    expect(form.status).toBe(200);
    expect(h1Of(form.html)).toBe('Email templates');
    const saved = await page('POST', '/configuration/email-templates', {
      form: {
        payment_receipt__ALL: receiptTemplate,
        payment_receipt__LIB: libraryTemplate,
        refund_confirmation__ALL: '',
      },
    });
    expect(saved.status, saved.html).toBe(303);
    expect(saved.location).toBe('/configuration/email-templates?notice=saved');
    const listed = await stack.request('GET', '/v1/notify-templates');
    expect(listed.body.templates).toEqual([
      { purpose: 'payment_receipt', fundCode: null, templateId: receiptTemplate },
      { purpose: 'payment_receipt', fundCode: 'LIB', templateId: libraryTemplate },
    ]);
    const again = await page('GET', '/configuration/email-templates?notice=saved');
    expect(again.html).toContain(`value="${libraryTemplate}"`);
    expect(textOf(again.html)).toContain('The email templates have been saved.');
  });

  it('shows a template id that is not one on its own input', async () => {
    const refused = await page('POST', '/configuration/email-templates', {
      form: { refund_confirmation__CTAX: 'not-a-template' },
    });
    expect(refused.status).toBe(400);
    expect(errorSummary(refused.html)).toEqual([
      {
        href: '#refund_confirmation__CTAX',
        text: 'Template ID must be a GOV.UK Notify template id (a UUID)',
      },
    ]);
  });
});

describe('email log screen', () => {
  it('lists the council’s emails and filters them by status', async () => {
    const [receipt] = await stack.database.sql<{ id: string }[]>`
      insert into outbox (id, topic, dedupe_key, payload)
      values (${newId('outbox')}, 'payment.receipt', ${newId('outbox')}, '{}'::jsonb) returning id`;
    const failedId = newId('email');
    await stack.database.sql`
      insert into email_messages (id, outbox_id, purpose, source_id, status, last_error)
      values (${failedId}, ${receipt!.id}, 'payment_receipt', ${newId('payment')}, 'failed',
              'GOV.UK Notify refused the email (400): BadRequestError: Can’t send to this recipient')`;
    const all = await page('GET', '/operations/emails');
    expect(all.status).toBe(200);
    expect(textOf(all.html)).toContain('Can’t send to this recipient');
    const delivered = await page('GET', '/operations/emails?status=delivered');
    expect(delivered.html).not.toContain(failedId);
    const failed = await page('GET', '/operations/emails?status=failed');
    expect(failed.html).toContain(failedId);
  });
});

describe('webhook edit screen', () => {
  it('changes a subscription’s events and description, and refuses an empty URL', async () => {
    const created = await stack.request('POST', '/v1/webhook-subscriptions', {
      url: 'https://crm.example/hook',
      events: ['payment.allocated'],
      description: 'CRM',
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.subscription.id as string;
    const form = await page('GET', `/configuration/webhooks/${id}/edit`);
    expect(h1Of(form.html)).toBe('Change a webhook');
    expect(form.html).toContain('value="https://crm.example/hook"');
    const empty = await page('POST', `/configuration/webhooks/${id}/edit`, {
      form: { url: '', events: 'payment.allocated', description: 'CRM' },
    });
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html)).toEqual([{ href: '#url', text: 'Enter the URL' }]);
    const changed = await page('POST', `/configuration/webhooks/${id}/edit`, {
      form: { url: 'https://crm.example/hook', events: 'payment.moved', description: 'CRM moves' },
    });
    expect(changed.status, changed.html).toBe(303);
    const read = await stack.request('GET', `/v1/webhook-subscriptions/${id}`);
    expect(read.body).toMatchObject({ events: ['payment.moved'], description: 'CRM moves' });
  });
});
