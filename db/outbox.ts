import { and, eq } from 'drizzle-orm';
import { newId } from '../domain/ids';
import type { Executor } from './executor';
import { outbox } from './schema';

/**
 * Queues one message in the caller's transaction (the one that moved the money), once per
 * dedupe key, and answers its id either way: a retried activity gets the id the first try
 * queued, so whoever starts the relay for it names the same message.
 */
export async function queueOutboxMessage(
  tx: Pick<Executor, 'insert' | 'select'>,
  message: {
    topic: string;
    dedupeKey: string;
    payload: Record<string, unknown>;
    orderingKey: string | null;
    fundCodes: string[];
  },
): Promise<string> {
  const [inserted] = await tx
    .insert(outbox)
    .values({ id: newId('outbox'), ...message })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  if (inserted !== undefined) return inserted.id;
  const [existing] = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.dedupeKey, message.dedupeKey)));
  if (existing === undefined) throw new Error(`outbox message ${message.dedupeKey} vanished`);
  return existing.id;
}
