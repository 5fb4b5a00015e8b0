import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';

/**
 * A local stand-in for GOV.UK Notify's email API, so `npm start` and the tests send email
 * without the internet: the same path (POST /v2/notifications/email, GET
 * /v2/notifications/{id}), the same JWT authentication (an API key is
 * `<name>-<service id>-<secret>`; each request carries a bearer JWT signed HS256 with the secret,
 * `iss` the service id, `iat` within 30 seconds), the same error shapes (`{ status_code,
 * errors: [{ error, message }] }`) and delivery-status callbacks. Notify's own test addresses
 * behave as on Notify: `temp-fail@simulator.notify` ends in temporary-failure and
 * `perm-fail@simulator.notify` in permanent-failure; every other address is delivered.
 * State is in memory; it is a simulator, not Notify.
 */

export type NotifyStatus =
  | 'created'
  | 'sending'
  | 'delivered'
  | 'permanent-failure'
  | 'temporary-failure';

export type SimulatedEmail = {
  id: string;
  serviceId: string;
  reference: string | null;
  emailAddress: string;
  templateId: string;
  personalisation: Record<string, unknown>;
  subject: string;
  body: string;
  status: NotifyStatus;
  createdAt: string;
  completedAt: string | null;
};

export interface NotifySimulatorOptions {
  /** Full API keys the simulator accepts, as Notify issues them. */
  apiKeys: readonly string[];
  /** Where delivery receipts go (Notify's "callback URL"), with its bearer token. */
  callbackUrl?: string;
  callbackBearerToken?: string;
  /** From creation to the final status; defaults to 50 ms. */
  deliveryDelayMs?: number;
  now?: () => Date;
}

export interface NotifySimulator {
  app: Express;
  start(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
  /** What was sent, oldest first: tests read the receipts the IMS sent from here. */
  sent(): readonly SimulatedEmail[];
}

/** Notify's error shape: a status code and a list of errors, each with a name and a message. */
function refuse(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ status_code: status, errors: [{ error, message }] });
}

/** The secret and the service id are the last two 36-character parts of a Notify API key. */
export function parseNotifyApiKey(apiKey: string): { serviceId: string; secret: string } | null {
  if (apiKey.length < 74) return null;
  const secret = apiKey.slice(-36);
  const serviceId = apiKey.slice(-73, -37);
  return { serviceId, secret };
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

/** A Notify request token, as the official clients make one (used by tests and the adapter). */
export function notifyToken(apiKey: string, now: Date = new Date()): string {
  const parsed = parseNotifyApiKey(apiKey);
  if (parsed === null) throw new Error('Not a GOV.UK Notify API key');
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const claims = base64url(
    JSON.stringify({ iss: parsed.serviceId, iat: Math.floor(now.getTime() / 1000) }),
  );
  const signature = createHmac('sha256', parsed.secret).update(`${header}.${claims}`).digest();
  return `${header}.${claims}.${base64url(signature)}`;
}

type Verified = { serviceId: string } | { status: number; error: string; message: string };

function verifyToken(
  authorization: string | undefined,
  keys: ReadonlyMap<string, string>,
  nowMs: number,
): Verified {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (token === undefined || token === '')
    return {
      status: 401,
      error: 'AuthError',
      message: 'Unauthorized: authentication token must be provided',
    };
  const [header, claims, signature] = token.split('.');
  let payload: { iss?: unknown; iat?: unknown };
  try {
    payload = JSON.parse(Buffer.from(claims ?? '', 'base64url').toString('utf8'));
  } catch {
    return { status: 403, error: 'AuthError', message: 'Invalid token: signature' };
  }
  const secret = typeof payload.iss === 'string' ? keys.get(payload.iss) : undefined;
  if (secret === undefined)
    return {
      status: 403,
      error: 'AuthError',
      message: 'Invalid token: service not found',
    };
  const expected = createHmac('sha256', secret).update(`${header}.${claims}`).digest();
  const given = Buffer.from(signature ?? '', 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      status: 403,
      error: 'AuthError',
      message: 'Invalid token: signature, api token not found',
    };
  const iat = typeof payload.iat === 'number' ? payload.iat : Number.NaN;
  if (!(Math.abs(nowMs / 1000 - iat) <= 30))
    return {
      status: 403,
      error: 'AuthError',
      message: 'Error: Your system clock must be accurate to within 30 seconds',
    };
  return { serviceId: payload.iss as string };
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const finalStatusFor = (address: string): NotifyStatus =>
  address === 'temp-fail@simulator.notify'
    ? 'temporary-failure'
    : address === 'perm-fail@simulator.notify'
      ? 'permanent-failure'
      : 'delivered';

/** A template's words: the simulator has no templates, so it lists the personalisation. */
function rendered(templateId: string, personalisation: Record<string, unknown>) {
  const lines = Object.entries(personalisation).map(([key, value]) => `${key}: ${String(value)}`);
  return { subject: `Template ${templateId}`, body: lines.join('\n') };
}

export function createNotifySimulator(options: NotifySimulatorOptions): NotifySimulator {
  const now = options.now ?? (() => new Date());
  const keys = new Map<string, string>();
  for (const apiKey of options.apiKeys) {
    const parsed = parseNotifyApiKey(apiKey);
    if (parsed === null) throw new Error('Each Notify API key is <name>-<service id>-<secret>');
    keys.set(parsed.serviceId, parsed.secret);
  }
  const emails: SimulatedEmail[] = [];
  const byId = new Map<string, SimulatedEmail>();
  let publicUrl = '';

  const wire = (email: SimulatedEmail) => ({
    id: email.id,
    reference: email.reference,
    email_address: email.emailAddress,
    type: 'email',
    status: email.status,
    template: {
      id: email.templateId,
      version: 1,
      uri: `${publicUrl}/v2/template/${email.templateId}`,
    },
    body: email.body,
    subject: email.subject,
    created_at: email.createdAt,
    completed_at: email.completedAt,
    sent_at: email.completedAt,
  });

  async function callBack(email: SimulatedEmail): Promise<void> {
    if (options.callbackUrl === undefined) return;
    await fetch(options.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        Authorization: `Bearer ${options.callbackBearerToken ?? ''}`,
      },
      body: JSON.stringify({
        id: email.id,
        reference: email.reference,
        to: email.emailAddress,
        status: email.status,
        created_at: email.createdAt,
        completed_at: email.completedAt,
        sent_at: email.completedAt,
        notification_type: 'email',
        template_id: email.templateId,
        template_version: 1,
      }),
    }).catch(() => {}); // Notify gives up on a receiver that is down, so does the simulator
  }

  const app = express();
  app.use(express.json({ limit: '2mb' }));

  const authenticated = (req: Request, res: Response): string | null => {
    const verified = verifyToken(req.get('authorization'), keys, now().getTime());
    if ('serviceId' in verified) return verified.serviceId;
    refuse(res, verified.status, verified.error, verified.message);
    return null;
  };

  app.post('/v2/notifications/email', (req, res) => {
    const serviceId = authenticated(req, res);
    if (serviceId === null) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { email_address: address, template_id: templateId } = body;
    if (typeof address !== 'string' || !emailPattern.test(address))
      return refuse(res, 400, 'ValidationError', 'email_address Not a valid email address');
    if (typeof templateId !== 'string' || !uuidPattern.test(templateId))
      return refuse(res, 400, 'ValidationError', 'template_id is not a valid UUID');
    const personalisation =
      typeof body.personalisation === 'object' && body.personalisation !== null
        ? (body.personalisation as Record<string, unknown>)
        : {};
    const words = rendered(templateId, personalisation);
    const email: SimulatedEmail = {
      id: randomUUID(),
      serviceId,
      reference: typeof body.reference === 'string' ? body.reference : null,
      emailAddress: address,
      templateId,
      personalisation,
      ...words,
      status: 'created',
      createdAt: now().toISOString(),
      completedAt: null,
    };
    emails.push(email);
    byId.set(email.id, email);
    setTimeout(() => {
      email.status = finalStatusFor(address);
      email.completedAt = now().toISOString();
      void callBack(email);
    }, options.deliveryDelayMs ?? 50).unref();
    email.status = 'sending';
    res.status(201).json({
      id: email.id,
      reference: email.reference,
      content: { subject: words.subject, body: words.body, from_email: 'council@notify.simulator' },
      uri: `${publicUrl}/v2/notifications/${email.id}`,
      template: { id: templateId, version: 1, uri: `${publicUrl}/v2/template/${templateId}` },
    });
  });

  app.get('/v2/notifications/:id', (req, res) => {
    const serviceId = authenticated(req, res);
    if (serviceId === null) return;
    const email = byId.get(req.params.id);
    if (email === undefined || email.serviceId !== serviceId)
      return refuse(res, 404, 'NoResultFound', 'No result found');
    res.json(wire(email));
  });

  // Not Notify's: a page for a developer to read what the IMS sent, newest first.
  app.get('/', (_req, res) => {
    const items = [...emails]
      .reverse()
      .map(
        (email) =>
          `<li><p><strong>${escapeHtml(email.subject)}</strong> to ${escapeHtml(email.emailAddress)} (${email.status}, ${email.createdAt})</p><pre>${escapeHtml(email.body)}</pre></li>`,
      )
      .join('\n');
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notify simulator</title></head><body><main><h1>Emails sent to the GOV.UK Notify simulator</h1><ol>${items || '<li>None yet</li>'}</ol></main></body></html>`,
      );
  });

  app.use((_req, res) => refuse(res, 404, 'NotFound', 'Not found'));

  return {
    app,
    sent: () => emails,
    start: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve) => {
        const server: Server = app.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          publicUrl = `http://${host}:${bound}`;
          resolve({
            url: publicUrl,
            close: () =>
              new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
              }),
          });
        });
      }),
  };
}
