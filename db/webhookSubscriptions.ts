import { desc, eq } from 'drizzle-orm';
import { newId } from '../domain/ids';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import { generateWebhookSecret } from '../platform/webhookSignature';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { webhookSubscriptions } from './schema';

/**
 * A council's webhook subscriptions (docs/webhooks.md). The signing secret is made here, sealed
 * with the council's payload key, handed back once to the caller who made or rotated it, and
 * never audited, listed or logged.
 */
export type WebhookSubscriptionView = {
  id: string;
  channel: 'webhook';
  url: string;
  events: string[];
  fundCode: string | null;
  description: string;
  disabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

type Row = typeof webhookSubscriptions.$inferSelect;

export function subscriptionViewOf(row: Row): WebhookSubscriptionView {
  return {
    id: row.id,
    channel: 'webhook',
    url: row.url,
    events: row.events,
    fundCode: row.fundCode,
    description: row.description,
    disabled: row.disabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The additional data the secret is sealed with: it opens for this subscription only. */
const purposeOf = (subscriptionId: string) => `webhook:${subscriptionId}`;

export type SubscriptionInput = {
  url: string;
  events: string[];
  fundCode: string | null;
  description: string;
};

export async function createWebhookSubscription(
  tx: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
  input: SubscriptionInput,
  meta: AuditMeta,
): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
  const id = newId('webhookSubscription');
  const secret = generateWebhookSecret();
  const [row] = await tx
    .insert(webhookSubscriptions)
    .values({
      id,
      ...input,
      sealedSecret: await codec.sealSecret(councilId, purposeOf(id), secret),
      createdBy: meta.actor,
    })
    .returning();
  const subscription = subscriptionViewOf(row as Row);
  await recordAudit(tx, {
    ...meta,
    action: 'webhook_subscription.create',
    entityType: 'webhook_subscription',
    entityId: id,
    after: subscription,
  });
  return { subscription, secret };
}

export async function listWebhookSubscriptions(db: Executor): Promise<WebhookSubscriptionView[]> {
  const rows = await db.select().from(webhookSubscriptions).orderBy(desc(webhookSubscriptions.id));
  return rows.map(subscriptionViewOf);
}

export async function getWebhookSubscriptionRow(db: Executor, id: string): Promise<Row | null> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row ?? null;
}

/** Changes what is given (url, events, fund, description, disabled); null when there is none. */
export async function updateWebhookSubscription(
  tx: Executor,
  id: string,
  patch: Partial<SubscriptionInput & { disabled: boolean }>,
  meta: AuditMeta & { action?: string },
): Promise<WebhookSubscriptionView | null> {
  const [before] = await tx
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.id, id))
    .for('update');
  if (before === undefined) return null;
  const [row] = await tx
    .update(webhookSubscriptions)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(webhookSubscriptions.id, id))
    .returning();
  const after = subscriptionViewOf(row as Row);
  const { action, ...auditMeta } = meta;
  await recordAudit(tx, {
    ...auditMeta,
    action: action ?? 'webhook_subscription.update',
    entityType: 'webhook_subscription',
    entityId: id,
    before: subscriptionViewOf(before),
    after,
  });
  return after;
}

/** A new secret, sealed; the old one stops signing at once. Null when there is no such one. */
export async function rotateWebhookSecret(
  tx: Executor,
  codec: AesGcmPayloadCodec,
  councilId: string,
  id: string,
  meta: AuditMeta,
): Promise<{ subscription: WebhookSubscriptionView; secret: string } | null> {
  const secret = generateWebhookSecret();
  const [row] = await tx
    .update(webhookSubscriptions)
    .set({
      sealedSecret: await codec.sealSecret(councilId, purposeOf(id), secret),
      updatedAt: new Date(),
    })
    .where(eq(webhookSubscriptions.id, id))
    .returning();
  if (row === undefined) return null;
  await recordAudit(tx, {
    ...meta,
    action: 'webhook_subscription.rotate_secret',
    entityType: 'webhook_subscription',
    entityId: id,
  });
  return { subscription: subscriptionViewOf(row), secret };
}

export function openWebhookSecret(
  codec: AesGcmPayloadCodec,
  councilId: string,
  row: Pick<Row, 'id' | 'sealedSecret'>,
): Promise<string> {
  return codec.openSecret(councilId, purposeOf(row.id), row.sealedSecret);
}
