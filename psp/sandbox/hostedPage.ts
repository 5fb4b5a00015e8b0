import express, { type Router } from 'express';
import { formatPounds, pence } from '../../domain/money';
import { complete, type LifecycleDeps, visit } from './lifecycle';
import { isFinished, type PayerOutcome, type SandboxPayment } from './model';
import type { PaymentStore } from './store';

/**
 * The hosted payment page a payer's browser is sent to (`next_url`). Plain HTML forms, no
 * JavaScript: Pay, Decline or Cancel, then a 303 back to the payment's return_url, as GOV.UK Pay
 * does at the end of its journey. Visiting the page moves a created payment to `started`.
 */
const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

const styles = `body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:10px 30px;font-weight:bold}
main{max-width:640px;padding:20px 30px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 20px}dt{font-weight:bold}
form{display:inline-block;margin:0 15px 15px 0}
button{font-size:19px;padding:8px 12px;border:0;box-shadow:0 2px 0 #002d18;cursor:pointer}
.pay{background:#00703c;color:#fff}.decline{background:#f3f2f1;color:#0b0c0c}
.cancel{background:#d4351c;color:#fff}button:focus{outline:3px solid #fd0}`;

function layout(title: string, body: string, language: string): string {
  return `<!doctype html><html lang="${escapeHtml(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${styles}</style></head><body><header>Sandbox PSP (not GOV.UK Pay)</header>
<main id="main-content">${body}</main></body></html>`;
}

const actions: Array<{ path: string; label: string; css: string }> = [
  { path: 'pay', label: 'Pay now', css: 'pay' },
  { path: 'decline', label: 'Decline (card rejected)', css: 'decline' },
  { path: 'cancel', label: 'Cancel payment', css: 'cancel' },
];

/**
 * GOV.UK Pay asks the payer for an email address for its confirmation, prefilled with the one
 * the service sent; the payment then reports what the payer left there.
 */
function emailField(payment: SandboxPayment): string {
  return `<p><label for="email">Email address (optional)</label><br>
<input id="email" name="email" type="email" autocomplete="email" spellcheck="false" value="${escapeHtml(payment.email ?? '')}"></p>`;
}

function paymentPage(payment: SandboxPayment): string {
  const id = encodeURIComponent(payment.paymentId);
  const forms = actions
    .map(
      (a) =>
        `<form method="post" action="/pay/${id}/${a.path}">${a.path === 'pay' ? emailField(payment) : ''}<button type="submit" class="${a.css}">${a.label}</button></form>`,
    )
    .join('\n');
  const body = `<h1>Enter card details</h1>
<dl><dt>Payment for</dt><dd>${escapeHtml(payment.description)}</dd>
<dt>Reference</dt><dd>${escapeHtml(payment.reference)}</dd>
<dt>Total amount</dt><dd>${formatPounds(pence(payment.amountPence))}</dd></dl>
<p>This is a test page. No card details are needed and no money moves.</p>
${forms}`;
  return layout('Enter card details - Sandbox PSP', body, payment.language);
}

function finishedPage(payment: SandboxPayment): string {
  const body = `<h1>This payment has finished</h1><p>Its status is ${escapeHtml(payment.status)}.</p>
<p><a href="${escapeHtml(payment.returnUrl)}">Continue to the service</a></p>`;
  return layout('Payment finished - Sandbox PSP', body, payment.language);
}

const outcomes: Record<string, PayerOutcome> = {
  pay: 'success',
  decline: 'declined',
  cancel: 'cancelled',
};

export function createHostedPageRouter(store: PaymentStore, lifecycle: LifecycleDeps): Router {
  const router = express.Router();
  router.get('/:paymentId', (req, res) => {
    const payment = store.findForPayer(req.params.paymentId);
    if (payment === undefined) {
      res
        .status(404)
        .type('html')
        .send(layout('Not found - Sandbox PSP', '<h1>Payment not found</h1>', 'en'));
      return;
    }
    visit(payment, lifecycle);
    res.type('html').send(isFinished(payment) ? finishedPage(payment) : paymentPage(payment));
  });

  router.post(
    '/:paymentId/:action',
    express.urlencoded({ extended: false, limit: '8kb' }),
    (req, res) => {
      const payment = store.findForPayer(req.params.paymentId);
      const outcome = outcomes[req.params.action];
      if (payment === undefined || outcome === undefined) {
        res.status(404).type('text').send('Not found');
        return;
      }
      // A second click after the journey ended just goes back to the service.
      if (!isFinished(payment)) {
        const email = (req.body as Record<string, unknown> | undefined)?.email;
        if (outcome === 'success' && typeof email === 'string')
          payment.email = email.trim() === '' ? undefined : email.trim().slice(0, 254);
        complete(payment, outcome, lifecycle);
      }
      res.redirect(303, payment.returnUrl);
    },
  );
  return router;
}
