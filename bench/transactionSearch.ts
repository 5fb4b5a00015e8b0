import { execSync } from 'node:child_process';
import { freemem, totalmem } from 'node:os';
import { connectDatabase } from '../db/client';
import { defaultCouncilId } from '../domain/council';
import { machine, percentile, startBenchStack } from './stack';
import {
  benchFunds,
  benchNarrativeWords,
  benchUsers,
  copyLedger,
  referenceOf,
} from './transactionLedger';

/**
 * The transaction search at scale (docs/benchmarks.md): a generated ledger of `postings`
 * postings (COPY through the real constraints, timed: the floor), then a mix of searches
 * through the real API (`GET /v1/transactions`, the application role under row-level
 * security), each timed end to end, and p50/p95/p99 over the mix and per kind.
 *
 *   npm run bench:search -- [postings=10000000] [searchesPerKind=40]
 */
const postings = Number(process.argv[2] ?? 10_000_000);
const perKind = Number(process.argv[3] ?? 40);
const searchIndexNames = [
  'postings_recorded',
  'postings_amount',
  'postings_reference',
  'journals_council_source',
  'journals_caused_by',
  'payments_card_last_digits',
  'payments_created_by',
  'payments_journal',
  'payments_method_office',
];
const stack = await startBenchStack();

try {
  const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId: defaultCouncilId });
  // The search's own indexes (migration 0022) are built after the load, as a bulk load would
  // do: kept up row by row, their random inserts made the COPY I/O-bound (about 70,000
  // postings a minute on this machine). The COPY below still goes through every constraint,
  // trigger and the ledger's own indexes.
  const searchIndexes = await owner.sql<{ name: string; definition: string }[]>`
    select indexname as name, indexdef as definition from pg_indexes
     where indexname = any(${searchIndexNames})`;
  for (const index of searchIndexes) await owner.sql.unsafe(`drop index ${index.name}`);
  const copyStarted = performance.now();
  const written = await copyLedger(
    owner.sql,
    { postings, cardShare: 0.2, importLines: 10_000 },
    (n) => process.stderr.write(`\r${n} postings`),
  );
  const copyMs = performance.now() - copyStarted;
  const indexStarted = performance.now();
  for (const index of searchIndexes) await owner.sql.unsafe(index.definition);
  const indexMs = performance.now() - indexStarted;
  const analyzeStarted = performance.now();
  await owner.sql`analyze`;
  const analyzeMs = performance.now() - analyzeStarted;
  const [size] = await owner.sql<{ mb: number }[]>`
    select (pg_total_relation_size('postings') / 1048576)::int as mb`;
  await owner.close();
  process.stderr.write('\n');

  let seed = 7;
  const pick = <T>(items: readonly T[]): T => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return items[seed % items.length] as T;
  };
  const day = () =>
    `2025-${pick(['05', '06', '07', '09', '10', '11', '12'])}-${pick(['03', '11', '19', '27'])}`;
  const amount = () =>
    100 + ((Number(pick(Array.from({ length: 997 }, (_, i) => i))) * 97) % 99_900);

  const kinds: Record<string, () => string> = {
    newest: () => '',
    amount: () => `amountPence=${amount()}`,
    amountRangeAndDays: () => {
      const fromPence = amount();
      return `amountFromPence=${fromPence}&amountToPence=${fromPence + 500}&from=${day()}&to=2026-03-31`;
    },
    reference: () => `reference=${referenceOf(pick([7, 14, 700, 7_000, 77_777]) * 7)}`,
    fundAndDay: () => {
      const d = day();
      return `fundCode=${pick(benchFunds)}&from=${d}&to=${d}`;
    },
    fundByAmount: () => `fundCode=${pick(benchFunds)}&sort=amount&direction=desc`,
    cardLastDigits: () =>
      `cardLastDigits=${String(pick([42, 1234, 9999, 5, 777])).padStart(4, '0')}`,
    pspReference: () => `pspReference=psp${pick([1, 500, 99_999, 1_234])}`,
    methodOfPayment: () => `methodOfPaymentCode=${pick(['PO', 'CSS'])}`,
    officeAndDays: () => `officeCode=WB&from=${day()}&to=2026-03-31`,
    narrativeCommon: () => `narrative=${pick(benchNarrativeWords)}`,
    user: () => `user=${pick(benchUsers)}`,
    receiptNumber: () => `receiptNumber=pay_bench_${pick([3, 333, 33_333])}`,
    channelImport: () => 'channel=import&sort=amount&direction=asc',
    nextPages: () => 'cursor',
  };

  async function timedGet(query: string): Promise<{ ms: number; nextCursor: string | null }> {
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/v1/transactions?${query}`, {
      headers: stack.auth,
    });
    const body = (await response.json()) as { nextCursor: string | null };
    if (response.status !== 200)
      throw new Error(`${query}: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, nextCursor: body.nextCursor };
  }

  const byKind: Record<string, number[]> = {};
  for (let round = 0; round < perKind; round++) {
    for (const [kind, query] of Object.entries(kinds)) {
      const times = byKind[kind] ?? [];
      byKind[kind] = times;
      if (kind !== 'nextPages') {
        times.push((await timedGet(query())).ms);
        continue;
      }
      // Ten pages deep from a filtered search: each page starts where the last ended.
      let next = (await timedGet(`fundCode=${pick(benchFunds)}`)).nextCursor;
      for (let page = 0; page < 10 && next !== null; page++) {
        const result = await timedGet(`fundCode=${pick(benchFunds)}&cursor=${next}`);
        times.push(result.ms);
        next = result.nextCursor;
      }
    }
  }
  // The rare word is the search's worst case (an unindexed filter over every line): reported
  // apart, not in the mix, and fewer times.
  const rare: number[] = [];
  for (let i = 0; i < 3; i++) rare.push((await timedGet('narrative=zebra')).ms);

  const stats = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      n: sorted.length,
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
    };
  };
  const cpu = execSync("grep -m1 'model name' /proc/cpuinfo || true").toString().trim();
  console.log(
    JSON.stringify(
      {
        machine: {
          ...machine(),
          cpuModel: cpu,
          totalMemGb: Math.round(totalmem() / 2 ** 30),
          freeMemGb: Math.round(freemem() / 2 ** 30),
        },
        ledger: { ...written, postingsTableMb: size?.mb },
        copyFloor: {
          ms: Math.round(copyMs),
          postingsPerSecond: Math.round((written.postings / copyMs) * 1000),
          analyzeMs: Math.round(analyzeMs),
        },
        searchIndexBuild: {
          ms: Math.round(indexMs),
          indexes: searchIndexes.map((index) => index.name),
        },
        mix: stats(Object.values(byKind).flat()),
        byKind: Object.fromEntries(
          Object.entries(byKind).map(([kind, times]) => [kind, stats(times)]),
        ),
        narrativeRareWord: stats(rare),
      },
      null,
      2,
    ),
  );
} finally {
  // The benchmark's database goes with its scratch directory.
  await stack.stop();
}
