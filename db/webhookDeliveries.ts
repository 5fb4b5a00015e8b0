import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { matchingSubscriptions, webhookEventOfTopic } from '../domain/webhooks';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import { pendingEmailIds, planEmail, stillPendingEmail } from './emailMessages';
import type { Executor } from './executor';
import { outbox, webhookDeliveries, webhookDeliveryAttempts, webhookSubscriptions } from './schema';

/**
 * The relay's state (docs/webhooks.md): one delivery per outbox message and matching
 * subscription, planned once; each HTTP attempt logged; a delivery ends delivered or dead, and
 * the message is sent once none of its deliveries is pending. Every write is idempotent, since
 * the activities that make them are retried.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/**
 * Plans a message's deliveries once: the subscriptions that match it when first planned. A
 * retry (or a second workflow for the same message) finds the plan and answers its pending
 * deliveries, so a subscription made later never receives an older message.
 */
export async function planDeliveries(
  db: Executor,
  outboxId: string,
  options: { notifyConfigured: boolean },
): Promise<{ deliveryIds: string[]; emailIds: string[] }> {
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(outbox).where(eq(outbox.id, outboxId)).for('update');
    if (message === undefined) throw new Error(`no outbox message ${outboxId}`);
    if (message.plannedAt === null) {
      const event = webhookEventOfTopic(message.topic);
      const subscriptions = event === null ? [] : await tx.select().from(webhookSubscriptions);
      const chosen =
        event === null ? [] : matchingSubscriptions(subscriptions, event, message.fundCodes);
      if (chosen.length > 0 && event !== null)
        await tx
          .insert(webhookDeliveries)
          .values(
            chosen.map((subscription) => ({
              id: newId('webhookDelivery'),
              outboxId,
              subscriptionId: subscription.id,
              event,
              orderingKey: message.orderingKey,
            })),
          )
          .onConflictDoNothing();
      await planEmail(tx, message, options);
      await tx.update(outbox).set({ plannedAt: sql`now()` }).where(eq(outbox.id, outboxId));
    }
    const pending = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.outboxId, outboxId), eq(webhookDeliveries.status, 'pending')))
      .orderBy(asc(webhookDeliveries.id));
    return {
      deliveryIds: pending.map((row) => row.id),
      emailIds: await pendingEmailIds(tx, outboxId),
    };
  });
}

/** A delivery with what sending it needs: its message and its subscription. */
export async function deliveryToSend(db: Executor, deliveryId: string) {
  const [row] = await db
    .select({
      delivery: webhookDeliveries,
      message: {
        id: outbox.id,
        topic: outbox.topic,
        payload: outbox.payload,
        createdAt: outbox.createdAt,
        orderingKey: outbox.orderingKey,
      },
      subscription: webhookSubscriptions,
    })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(eq(webhookDeliveries.id, deliveryId));
  return row ?? null;
}

/**
 * The earlier message of the same key that this subscription has not yet had (delivered or
 * dead), if any: a message not yet planned counts, since it may yet be planned for it.
 */
export async function earlierPendingMessage(
  db: Executor,
  input: { subscriptionId: string; orderingKey: string; outboxId: string; createdAt: Date },
): Promise<string | null> {
  const earlier = and(
    eq(outbox.orderingKey, input.orderingKey),
    sql`(${outbox.createdAt}, ${outbox.id}) < (${input.createdAt.toISOString()}::timestamptz, ${input.outboxId})`,
  );
  const [unplanned] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(earlier, isNull(outbox.plannedAt), isNull(outbox.sentAt)))
    .limit(1);
  if (unplanned !== undefined) return unplanned.id;
  const [pending] = await db
    .select({ id: outbox.id })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .where(
      and(
        earlier,
        eq(webhookDeliveries.subscriptionId, input.subscriptionId),
        eq(webhookDeliveries.status, 'pending'),
      ),
    )
    .limit(1);
  return pending?.id ?? null;
}

/** Notes why a delivery is still waiting, without counting an attempt. */
export async function noteDeliveryWaiting(db: Executor, deliveryId: string, why: string) {
  await db
    .update(webhookDeliveries)
    .set({ lastError: why, updatedAt: sql`now()` })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/** Logs one HTTP attempt and, for a 2xx, marks the delivery delivered, in one transaction. */
export async function recordAttempt(
  db: Executor,
  deliveryId: string,
  attempt: { statusCode: number | null; latencyMs: number; error: string | null },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        updatedAt: sql`now()`,
        ...(attempt.error === null ? { status: 'delivered', deliveredAt: sql`now()` } : {}),
      })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning({ attempts: webhookDeliveries.attempts });
    if (row === undefined) throw new Error(`no delivery ${deliveryId}`);
    await tx
      .insert(webhookDeliveryAttempts)
      .values({ deliveryId, attemptNo: row.attempts, ...attempt });
    return row.attempts;
  });
}

/** Its retries ran out (or its subscription was disabled): dead, keeping its last error. */
export async function markDeliveryDead(db: Executor, deliveryId: string, error: string) {
  await db
    .update(webhookDeliveries)
    .set({
      status: 'dead',
      lastError: sql`coalesce(${webhookDeliveries.lastError}, ${error})`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending')));
}

/** The relay is done with a message once none of its deliveries or emails is pending. */
export async function finishOutboxMessage(db: Executor, outboxId: string): Promise<boolean> {
  const [pending] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.outboxId, outboxId), eq(webhookDeliveries.status, 'pending')))
    .limit(1);
  if (pending !== undefined || (await stillPendingEmail(db, outboxId))) return false;
  await db
    .update(outbox)
    .set({ sentAt: sql`coalesce(${outbox.sentAt}, now())`, updatedAt: sql`now()` })
    .where(eq(outbox.id, outboxId));
  return true;
}

/** Messages the relay has not finished, oldest first: the sweep's safety net after a crash. */
export async function unrelayedOutboxIds(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(isNull(outbox.sentAt))
    .orderBy(asc(outbox.createdAt), asc(outbox.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

export type DeliverySearch = {
  status?: DeliveryStatus;
  subscriptionId?: string;
  before?: string;
  limit: number;
};

export async function searchDeliveries(db: Executor, search: DeliverySearch) {
  const conditions = [
    search.status === undefined ? undefined : eq(webhookDeliveries.status, search.status),
    search.subscriptionId === undefined
      ? undefined
      : eq(webhookDeliveries.subscriptionId, search.subscriptionId),
    search.before === undefined ? undefined : lt(webhookDeliveries.id, search.before),
  ].filter((condition) => condition !== undefined);
  const rows = await db
    .select({ delivery: webhookDeliveries, url: webhookSubscriptions.url })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.id))
    .limit(search.limit);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(webhookDeliveryAttempts)
          .where(
            inArray(
              webhookDeliveryAttempts.deliveryId,
              rows.map((row) => row.delivery.id),
            ),
          )
          .orderBy(asc(webhookDeliveryAttempts.deliveryId), asc(webhookDeliveryAttempts.attemptNo));
  return rows.map(({ delivery, url }) => ({
    delivery,
    url,
    attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id),
  }));
}

/**
 * A dead or delivered delivery made pending again, counted, and audited: the caller starts its
 * workflow (numbered by the count). Null: no such delivery; 'pending': it is still being tried.
 */
export async function reopenDelivery(
  tx: Executor,
  deliveryId: string,
  meta: AuditMeta,
  /** Only a delivery of this subscription; another's is not found. */
  subscriptionId?: string,
): Promise<{ outboxId: string; redeliveries: number } | 'pending' | null> {
  const [before] = await tx
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId))
    .for('update');
  if (before === undefined) return null;
  if (subscriptionId !== undefined && before.subscriptionId !== subscriptionId) return null;
  if (before.status === 'pending') return 'pending';
  const [row] = await tx
    .update(webhookDeliveries)
    .set({
      status: 'pending',
      redeliveries: sql`${webhookDeliveries.redeliveries} + 1`,
      deliveredAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(webhookDeliveries.id, deliveryId))
    .returning({ redeliveries: webhookDeliveries.redeliveries });
  // Unfinished again, so the sweep starts it should the API fail to start its workflow.
  await tx.update(outbox).set({ sentAt: null }).where(eq(outbox.id, before.outboxId));
  await recordAudit(tx, {
    ...meta,
    action: 'webhook_delivery.redeliver',
    entityType: 'webhook_delivery',
    entityId: deliveryId,
    before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
  });
  return { outboxId: before.outboxId, redeliveries: row!.redeliveries };
}
