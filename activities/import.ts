import { createReadStream } from 'node:fs';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { asc, eq } from 'drizzle-orm';
import { findAccountHolders, loadAllocationContext } from '../db/allocationContext';
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
import { importRules, referenceRoutes } from '../db/schema';
import { accountHolderKey } from '../domain/basket';
import { type ChunkRules, classifyRows, routeRows } from '../domain/importChunk';
import { compileRules } from '../domain/importRules';
import { type ImportProfile, parserFor } from '../domain/imports';

/**
 * The side effects of an income file import. Staging parses the whole file before anything is
 * posted (a structurally broken file is refused whole); each chunk then posts exactly once.
 */
export type ChunkBounds = { chunkNo: number; firstLineNo: number; lastLineNo: number };

export type StageResult =
  | { outcome: 'staged'; rowCount: number; totalPence: number; chunks: ChunkBounds[] }
  | { outcome: 'refused'; rowCount: number; errorCount: number };

const heartbeatEveryRows = 20_000;

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
  ): Promise<ChunkRules & { suspenseFund: { code: string; vatCode: string } }> {
    const [allocation, ruleRows, routeRows_] = await Promise.all([
      loadAllocationContext(db),
      db.select().from(importRules).where(eq(importRules.disabled, false)),
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
      const summary = await parserFor(profile.definition as ImportProfile).parse(
        createReadStream(record.storagePath),
        async (row) => {
          await copy.write(row);
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
      const { profile } = await importAndProfile(input.importId);
      const rules = await chunkRules(profile.methodOfPaymentCode);
      const staged = await loadStagedChunk(db, input.importId, input.firstLineNo, input.lastLineNo);
      const routed = routeRows(staged, rules);
      const holders = new Map<string, { onStopMessage: string | null } | null>();
      const byFund = new Map<string, string[]>();
      for (const row of routed)
        if (row.fundCode !== null)
          byFund.set(row.fundCode, [...(byFund.get(row.fundCode) ?? []), row.normalisedReference]);
      for (const [fundCode, references] of byFund) {
        const found = await findAccountHolders(db, fundCode, references);
        for (const reference of references)
          holders.set(accountHolderKey(fundCode, reference), found.get(reference) ?? null);
      }
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
      const rowsRejected = (record?.rowsRead ?? 0) - totals.rowsAllocated - totals.rowsSuspended;
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
