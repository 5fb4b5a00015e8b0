import { asc, eq } from 'drizzle-orm';
import type { EmailPurpose } from '../domain/email';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import { type Executor, executorOver } from './executor';
import { funds, notifyTemplates } from './schema';
import { connectionCouncil } from './schema/columns';
import type { Seed } from './seed';

/** A council's Notify templates (docs/email.md); `fundCode` null: every fund without its own. */
export type NotifyTemplate = { purpose: EmailPurpose; fundCode: string | null; templateId: string };

export async function listNotifyTemplates(db: Executor): Promise<NotifyTemplate[]> {
  const rows = await db
    .select()
    .from(notifyTemplates)
    .orderBy(asc(notifyTemplates.purpose), asc(notifyTemplates.fundCode));
  return rows.map((row) => ({
    purpose: row.purpose as EmailPurpose,
    fundCode: row.fundCode === '' ? null : row.fundCode,
    templateId: row.templateId,
  }));
}

/** Fund codes the list names that the council has no fund for (each a problem to report). */
export async function unknownTemplateFunds(
  db: Executor,
  templates: readonly NotifyTemplate[],
): Promise<string[]> {
  const named = new Set(templates.flatMap((t) => (t.fundCode === null ? [] : [t.fundCode])));
  if (named.size === 0) return [];
  const known = new Set((await db.select({ code: funds.code }).from(funds)).map((f) => f.code));
  return [...named].filter((code) => !known.has(code));
}

/** Replaces the whole list in one audited transaction. */
export async function replaceNotifyTemplates(
  db: Executor,
  templates: readonly NotifyTemplate[],
  meta: AuditMeta,
): Promise<NotifyTemplate[]> {
  return db.transaction(async (tx) => {
    const before = await listNotifyTemplates(tx);
    // The council's rows only: RLS binds the app role, and the filter binds the owner too.
    await tx.delete(notifyTemplates).where(eq(notifyTemplates.councilId, connectionCouncil));
    if (templates.length > 0)
      await tx.insert(notifyTemplates).values(
        templates.map((t) => ({
          purpose: t.purpose,
          fundCode: t.fundCode ?? '',
          templateId: t.templateId,
        })),
      );
    const after = await listNotifyTemplates(tx);
    await recordAudit(tx, {
      ...meta,
      action: 'notify_templates.replace',
      entityType: 'notify_templates',
      entityId: 'notify_templates',
      before,
      after,
    });
    return after;
  });
}

/**
 * Template ids for the demo council, so `npm start` sends receipts to the local Notify simulator
 * from the first payment. A real council replaces them with its own Notify service's ids.
 */
export const demoNotifyTemplates: readonly NotifyTemplate[] = [
  {
    purpose: 'payment_receipt',
    fundCode: null,
    templateId: 'd0000000-0000-4000-8000-000000000001',
  },
  {
    purpose: 'refund_confirmation',
    fundCode: null,
    templateId: 'd0000000-0000-4000-8000-000000000002',
  },
];

export const demoNotifyTemplatesSeed: Seed = {
  name: 'demo-notify-templates-v1',
  run: async (sql) => {
    await executorOver(sql)
      .insert(notifyTemplates)
      .values(demoNotifyTemplates.map((t) => ({ ...t, fundCode: t.fundCode ?? '' })))
      .onConflictDoNothing();
  },
};
