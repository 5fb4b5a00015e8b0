import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { probeRuns } from '../db/schema';

export type ProbeRecord = { probeId: string; recordedAt: string; databaseName: string };

/**
 * Records that a probe reached the database. Idempotent: a retried activity finds the row the
 * first attempt wrote and returns it, so a probe is recorded once however often it runs.
 */
export function createProbeActivities(deps: { db: Database }) {
  return {
    async recordProbe(input: { probeId: string; requestedBy: string }): Promise<ProbeRecord> {
      await deps.db
        .insert(probeRuns)
        .values({ probeId: input.probeId, requestedBy: input.requestedBy })
        .onConflictDoNothing();
      const [row] = await deps.db
        .select({
          recordedAt: probeRuns.recordedAt,
          databaseName: sql<string>`current_database()`,
        })
        .from(probeRuns)
        .where(sql`${probeRuns.probeId} = ${input.probeId}`);
      if (row === undefined) throw new Error(`probe ${input.probeId} vanished after insert`);
      return {
        probeId: input.probeId,
        recordedAt: row.recordedAt.toISOString(),
        databaseName: row.databaseName,
      };
    },
  };
}
