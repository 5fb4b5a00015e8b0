import {
  type ActivityOptions,
  defineQuery,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChunkBounds } from '../activities/import';
import { businessDateOf } from '../domain/businessDate';
import { councilWorkflowId } from '../domain/council';
import { imsImportIdKey, imsKindKey, imsStateKey } from './searchAttributes';

/**
 * One income file, from upload to every row posted or in suspense. Staging reads the whole
 * file first, so a structurally broken file is refused before anything is posted; chunks then
 * post in parallel, each exactly once, so a crash mid-file resumes without double posting.
 */
export type ImportWorkflowInput = {
  importId: string;
  chunkSize: number;
  /** Chunks posting at once: enough to keep PostgreSQL busy, few enough not to starve it. */
  parallelChunks: number;
};

export type ImportProgress = {
  importId: string;
  state: 'parsing' | 'refused' | 'posting' | 'completed';
  rowsRead: number;
  totalPence: number;
  chunksTotal: number;
  chunksPosted: number;
  rowsAllocated: number;
  rowsSuspended: number;
  rowsRejected: number;
  allocatedPence: number;
  suspendedPence: number;
  errorCount: number;
  /** SuspenseWorkflows started for the import's unidentified rows (after posting). */
  suspenseWorkflowsStarted: number;
};

export const importProgressQuery = defineQuery<ImportProgress>('progress');

export function importWorkflowId(councilId: string, importId: string): string {
  return councilWorkflowId(councilId, importId);
}

const stagingOptions: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  // A dead worker is noticed within a minute, not when the half hour runs out.
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['ImportNotFound', 'ImportProfileNotFound'],
  },
};
const chunkOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['ImportNotFound', 'ImportProfileNotFound', 'NoSuspenseFund'],
  },
};

/**
 * A chunk heartbeats every 5 s while its transaction runs (activities/import.ts): a SIGKILLed
 * worker, or a completion lost while Temporal's own database restarted, costs half a minute,
 * not the five-minute start-to-close timeout (measured on the cluster, docs/benchmarks.md).
 */
const postingOptions: ActivityOptions = { ...chunkOptions, heartbeatTimeout: '30 seconds' };

const { stageImport } = proxyActivities<Activities>(stagingOptions);
const { postImportChunk } = proxyActivities<Activities>(postingOptions);
const { completeImport } = proxyActivities<Activities>(chunkOptions);
const { startImportSuspenseWorkflows } = proxyActivities<Activities>({
  ...chunkOptions,
  heartbeatTimeout: '1 minute',
});

export async function importWorkflow(input: ImportWorkflowInput): Promise<ImportProgress> {
  const progress: ImportProgress = {
    importId: input.importId,
    state: 'parsing',
    rowsRead: 0,
    totalPence: 0,
    chunksTotal: 0,
    chunksPosted: 0,
    rowsAllocated: 0,
    rowsSuspended: 0,
    rowsRejected: 0,
    allocatedPence: 0,
    suspendedPence: 0,
    errorCount: 0,
    suspenseWorkflowsStarted: 0,
  };
  setHandler(importProgressQuery, () => progress);
  const setState = (state: ImportProgress['state']) => {
    progress.state = state;
    upsertSearchAttributes([{ key: imsStateKey, value: state }]);
  };
  upsertSearchAttributes([
    { key: imsKindKey, value: 'import' },
    { key: imsImportIdKey, value: input.importId },
  ]);
  setState('parsing');
  // Income is recorded on the day it arrived, whatever day the file's lines carry.
  const postingDate = businessDateOf(Date.now());

  const staged = await stageImport({ importId: input.importId, chunkSize: input.chunkSize });
  progress.rowsRead = staged.rowCount;
  if (staged.outcome === 'refused') {
    progress.errorCount = staged.errorCount;
    setState('refused');
    return progress;
  }
  progress.totalPence = staged.totalPence;
  progress.chunksTotal = staged.chunks.length;
  setState('posting');

  const queue: ChunkBounds[] = [...staged.chunks];
  const postNext = async (): Promise<void> => {
    for (let chunk = queue.shift(); chunk !== undefined; chunk = queue.shift()) {
      const result = await postImportChunk({ ...chunk, importId: input.importId, postingDate });
      progress.chunksPosted++;
      progress.rowsAllocated += result.rowsAllocated;
      progress.rowsSuspended += result.rowsSuspended;
      progress.rowsRejected += result.rowsRejected;
      progress.allocatedPence += result.allocatedPence;
      progress.suspendedPence += result.suspendedPence;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.parallelChunks) }, postNext));
  await completeImport({ importId: input.importId });
  setState('completed');
  // Every row is now posted or in suspense; the items' own workflows start after, in pages.
  let afterId: string | null = null;
  do {
    const page: { started: number; lastId: string | null } = await startImportSuspenseWorkflows({
      importId: input.importId,
      afterId,
      batchSize: 500,
    });
    progress.suspenseWorkflowsStarted += page.started;
    afterId = page.lastId;
  } while (afterId !== null);
  return progress;
}
