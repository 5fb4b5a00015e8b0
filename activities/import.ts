import { createReadStream } from 'node:fs';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { loadAllocationContext, lookupAccountHolders } from '../db/allocationContext';
import { isStatementProfile, recordStatementLines } from '../db/bankReconciliationLines';
import type { Database, Sql } from '../db/client';
import { type ChunkResult, postImportChunk } from '../db/importPosting';
import { clearStaging, openStagingCopy } from '../db/importStaging';
import {
  getImportProfile,
  getImportRecord,
  importTotals,
  loadStagedChunk,
  replaceImportErrors,
  setImportState,
} from '../db/imports';
import { importRules, referenceRoutes, suspenseItems } from '../db/schema';
import { type ChunkRules, classifyRows, routeRows } from '../domain/importChunk';
import { compileRules } from '../domain/importRules';
import { type ImportProfile, parserFor } from '../domain/imports';
import type { ImportRow } from '../domain/imports/types';
import { workSettingsFrom } from '../platform/config';
import { startSuspenseWorkflow } from './suspenseStart';

/**
 * The side effects of an income file import. Staging parses the whole file before anything is
 * posted (a structurally broken file is refused whole); each chunk then posts exactly once.
 */
export type ChunkBounds = { chunkNo: number; firstLineNo: number; lastLineNo: number };

export type StageResult =
  | { outcome: 'staged'; rowCount: number; totalPence: number; chunks: ChunkBounds[] }
  | { outcome: 'refused'; rowCount: number; errorCount: number };

const heartbeatEveryRows = 20_000;
const chunkHeartbeatEveryMs = 5_000;

/**
 * A chunk posts in one transaction, which cannot heartbeat from inside; a timer does, so a
 * chunk whose worker died (or whose completion was lost while Temporal's database was down) is
 * retried after the heartbeat timeout instead of the whole start-to-close timeout (issue 16).
 */
async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), chunkHeartbeatEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
/** Workflow starts in flight at once: enough to overlap round trips, few enough to be polite. */
const startsInParallel = 8;

export function createImportActivities(deps: { db: Database; sql: Sql }) {
  const { db, sql } = deps;

  async function importAndProfile(importId: string) {
    const record = await getImportRecord(db, importId);
    if (record === null)
      throw ApplicationFailure.nonRetryable(`No import ${importId}`, 'ImportNotFound');
    const profile = await getImportProfile(db, record.profileId);
    if (profile === null)
      throw ApplicationFailure.nonRetryable(
        `No import profile ${record.profileId}`,
        'ImportProfileNotFound',
      );
    return { record, profile };
  }

  async function chunkRules(
    methodOfPaymentCode: string,
    profileId: string,
  ): Promise<ChunkRules & { suspenseFund: { code: string; vatCode: string } }> {
    const [allocation, ruleRows, routeRows_] = await Promise.all([
      loadAllocationContext(db),
      // A rule scoped to another profile never sees this file's rows.
      db
        .select()
        .from(importRules)
        .where(
          and(
            eq(importRules.disabled, false),
            or(isNull(importRules.profileId), eq(importRules.profileId, profileId)),
          ),
        ),
      db.select().from(referenceRoutes).orderBy(asc(referenceRoutes.position)),
    ]);
    const suspense = [...allocation.funds.values()].find((fund) => fund.isSuspense);
    if (suspense === undefined)
      throw ApplicationFailure.nonRetryable('No suspense fund is configured', 'NoSuspenseFund');
    const rules = compileRules(
      ruleRows.map((rule) => ({
        id: rule.id,
        name: rule.name,
        order: rule.position,
        conditionGroups: rule.conditionGroups,
        actions: rule.actions,
        stopProcessing: rule.stopProcessing,
      })),
    );
    const enabledFunds = new Set(
      [...allocation.funds.values()].filter((fund) => !fund.disabled).map((fund) => fund.code),
    );
    const routes = routeRows_
      .filter((route) => enabledFunds.has(route.fundCode))
      .map(({ fundCode, pattern }) => ({ fundCode, pattern }));
    return {
      allocation,
      rules,
      routes,
      methodOfPaymentCode,
      suspenseFund: { code: suspense.code, vatCode: suspense.vatCode },
    };
  }

  const postChunk = async (
    input: ChunkBounds & { importId: string; postingDate: string },
  ): Promise<ChunkResult> => {
    const { profile } = await importAndProfile(input.importId);
    const rules = await chunkRules(profile.methodOfPaymentCode, profile.id);
    const staged = await loadStagedChunk(db, input.importId, input.firstLineNo, input.lastLineNo);
    const routed = routeRows(staged, rules);
    const holders = await lookupAccountHolders(
      db,
      routed.map((row) => ({ fundCode: row.fundCode, reference: row.normalisedReference })),
    );
    return postImportChunk(db, {
      importId: input.importId,
      chunkNo: input.chunkNo,
      firstLineNo: input.firstLineNo,
      lastLineNo: input.lastLineNo,
      clearingAccountCode: profile.clearingAccountCode,
      postingDate: input.postingDate,
      causedBy: `workflow:${input.importId}`,
      suspenseFund: rules.suspenseFund,
      outcome: classifyRows(routed, rules, holders),
    });
  };
  return {
    /** Parses the whole file into the staging table, or records why it is refused. Retry-safe. */
    async stageImport(input: { importId: string; chunkSize: number }): Promise<StageResult> {
      const { record, profile } = await importAndProfile(input.importId);
      await clearStaging(sql, input.importId);
      await setImportState(db, input.importId, 'parsing');
      const copy = await openStagingCopy(sql, input.importId);
      const chunks: ChunkBounds[] = [];
      let current: ChunkBounds | null = null;
      let rows = 0;
      // Bank statements also keep their lines for bank reconciliation (staging is deleted on
      // completion). Statements are small, so holding their rows until the parse ends is fine.
      const statementRows: ImportRow[] | null = isStatementProfile(profile) ? [] : null;
      const summary = await parserFor(profile.definition as ImportProfile).parse(
        createReadStream(record.storagePath),
        async (row) => {
          await copy.write(row);
          statementRows?.push(row);
          if (current === null || rows % input.chunkSize === 0) {
            current = { chunkNo: chunks.length, firstLineNo: row.lineNo, lastLineNo: row.lineNo };
            chunks.push(current);
          }
          current.lastLineNo = row.lineNo;
          rows++;
          if (rows % heartbeatEveryRows === 0) Context.current().heartbeat({ rows });
        },
      );
      await copy.finish();
      if (summary.errors.length > 0) {
        await clearStaging(sql, input.importId);
        await replaceImportErrors(db, input.importId, summary.errors);
        await setImportState(db, input.importId, 'refused', {
          rowsRead: summary.rowCount,
          completedAt: new Date(),
        });
        return {
          outcome: 'refused',
          rowCount: summary.rowCount,
          errorCount: summary.errors.length,
        };
      }
      if (statementRows !== null) {
        // A statement reports money that is already in the ledger (PSP payouts, collection
        // totals) or not yet known (direct credits): posting its credits as income would count
        // money twice. Its lines go to bank reconciliation only; nothing is posted here.
        await recordStatementLines(db, input.importId, statementRows);
        chunks.length = 0;
      }
      await setImportState(db, input.importId, 'posting', {
        rowsRead: summary.rowCount,
        totalPence: summary.totalPence,
      });
      return {
        outcome: 'staged',
        rowCount: summary.rowCount,
        totalPence: summary.totalPence,
        chunks,
      };
    },

    /** Rules, routing, the money core, then one transaction: journals, suspense items, marker. */
    async postImportChunk(
      input: ChunkBounds & { importId: string; postingDate: string },
    ): Promise<ChunkResult> {
      return whileHeartbeating(() => postChunk(input));
    },

    /**
     * Gives the import's open suspense items their SuspenseWorkflows, a page at a time (resumable
     * from the last id), after the rows are safely posted: starting thousands of workflows must
     * not hold up the ledger, and an item nobody started yet is started by its first action.
     */
    async startImportSuspenseWorkflows(input: {
      importId: string;
      afterId: string | null;
      batchSize: number;
    }): Promise<{ started: number; lastId: string | null }> {
      const items = await db
        .select()
        .from(suspenseItems)
        .where(
          and(
            eq(suspenseItems.sourceType, 'import'),
            eq(suspenseItems.sourceId, input.importId),
            eq(suspenseItems.state, 'open'),
            input.afterId === null ? undefined : gt(suspenseItems.id, input.afterId),
          ),
        )
        .orderBy(asc(suspenseItems.id))
        .limit(input.batchSize);
      const settings = workSettingsFrom();
      const ageing = {
        overdueWorkingDays: settings.SUSPENSE_OVERDUE_WORKING_DAYS,
        escalateWorkingDays: settings.SUSPENSE_ESCALATE_WORKING_DAYS,
      };
      const { client } = Context.current();
      const taskQueue = Context.current().info.taskQueue;
      for (let start = 0; start < items.length; start += startsInParallel) {
        await Promise.all(
          items
            .slice(start, start + startsInParallel)
            .map((item) => startSuspenseWorkflow(client, item, { taskQueue, ageing })),
        );
        Context.current().heartbeat({ lastId: items[start]?.id });
      }
      return {
        started: items.length,
        lastId: items.length < input.batchSize ? null : (items.at(-1)?.id ?? null),
      };
    },

    /** Totals from the posted chunks (so a retry never double-counts), then the staging rows go. */
    async completeImport(input: { importId: string }): Promise<{
      rowsAllocated: number;
      rowsSuspended: number;
      allocatedPence: number;
      suspendedPence: number;
    }> {
      const totals = await importTotals(db, input.importId);
      const record = await getImportRecord(db, input.importId);
      const profile = record === null ? null : await getImportProfile(db, record.profileId);
      // Statement lines are recorded for reconciliation, not refused: none of them is "rejected".
      const rowsRejected =
        profile !== null && isStatementProfile(profile)
          ? 0
          : (record?.rowsRead ?? 0) - totals.rowsAllocated - totals.rowsSuspended;
      await setImportState(db, input.importId, 'completed', {
        rowsAllocated: totals.rowsAllocated,
        rowsSuspended: totals.rowsSuspended,
        rowsRejected,
        allocatedPence: totals.allocatedPence,
        suspendedPence: totals.suspendedPence,
        completedAt: new Date(),
      });
      await clearStaging(sql, input.importId);
      return totals;
    },
  };
}
