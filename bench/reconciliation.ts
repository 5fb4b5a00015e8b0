// Benchmark of the bank-reconciliation engine: `npx tsx bench/reconciliation.ts [size]`.
// Generates `size` statement lines and `size` expected items (default 1,000,000 each) from a
// fixed seed, reconciles them, and prints one JSON object. Generation is not timed.
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  type ExpectedItem,
  type MatchRule,
  reconcile,
  type StatementLine,
} from '../domain/reconciliation';

const size = Number(process.argv[2] ?? 1_000_000);
if (!Number.isSafeInteger(size) || size < 1) throw new Error(`size must be a positive integer`);

/** mulberry32: a tiny seeded generator, so every run reconciles the same records. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20250401);
const integer = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const firstDayMs = Date.UTC(2025, 3, 1);
const dateOf = (dayIndex: number) =>
  new Date(firstDayMs + dayIndex * 86_400_000).toISOString().slice(0, 10);

const lines: StatementLine[] = [];
const items: ExpectedItem[] = [];
const scenarioNames: string[] = [];
const tally = (scenario: string) => scenarioNames.push(scenario);
let sequence = 0;

/** One business event: the items the IMS expects and the statement lines the bank shows. */
function addScenario(): void {
  const roll = random();
  const id = String(sequence++).padStart(9, '0');
  const day = integer(0, 364);
  const amountPence = integer(100, 500_000);
  const line = (suffix: string, pence: number, lineDay: number, reference: string) =>
    lines.push({ id: `bsl_${id}${suffix}`, amountPence: pence, date: dateOf(lineDay), reference });
  const item = (suffix: string, pence: number, kind: ExpectedItem['kind'], reference: string) =>
    items.push({
      id: `exp_${id}${suffix}`,
      kind,
      amountPence: pence,
      expectedDate: dateOf(day),
      reference,
    });
  if (roll < 0.005) {
    tally('unexpected');
    line('', amountPence, day, `UNKNOWN ${id}`);
  } else if (roll < 0.01) {
    tally('expected');
    item('', amountPence, 'direct_credit', `DC${id}`);
  } else if (roll < 0.015) {
    tally('mismatched');
    item('', amountPence, 'collection_file', `PP${id}`);
    line('', amountPence + integer(1, 5_000), day, `PP${id}`);
  } else if (roll < 0.025) {
    tally('oneToMany');
    // Two to four bags from one office banked as a single credit.
    const bags = integer(2, 4);
    for (let bag = 0; bag < bags; bag++)
      item(`_${bag}`, amountPence + bag, 'cash_banking', `BAG${id}`);
    line('', bags * amountPence + (bags * (bags - 1)) / 2, day, `BAG${id}`);
  } else if (roll < 0.035) {
    tally('manyToOne');
    // A payout the bank credited in two to four parts, each quoting the payout id in its text.
    item('', amountPence, 'psp_payout', `PO${id}`);
    const parts = integer(2, 4);
    let leftPence = amountPence;
    for (let part = 1; part < parts; part++) {
      const partPence = integer(1, Math.floor(amountPence / parts));
      line(`_${part}`, partPence, day, `GOVUK PAY PO${id} PART ${part}`);
      leftPence -= partPence;
    }
    line(`_${parts}`, leftPence, day, `GOVUK PAY PO${id} PART ${parts}`);
  } else if (roll < 0.085) {
    tally('dateOffset');
    item('', amountPence, 'direct_credit', `${id}`);
    line('', amountPence, day + integer(1, 3) * (random() < 0.5 ? -1 : 1), `${id}`);
  } else if (roll < 0.095) {
    tally('payoutInText');
    // The bank quotes the payout id inside its own text and the amount is a penny or two out.
    item('', amountPence, 'psp_payout', `PO${id}`);
    line('', amountPence + integer(-2, 2), day + integer(0, 1), `GOVUK PAY PO${id}`);
  } else {
    tally('exact');
    const kind = roll < 0.5 ? 'psp_payout' : roll < 0.75 ? 'collection_file' : 'direct_credit';
    item('', amountPence, kind, `CT${id}`);
    // One bank in ten sends references lower-cased with spaces, as real statements do.
    line('', amountPence, day, roll < 0.185 ? `ct ${id.slice(0, 4)} ${id.slice(4)}` : `CT${id}`);
  }
}

while (lines.length < size || items.length < size) addScenario();
lines.length = size;
items.length = size;

function rule(
  name: string,
  [kind, dateWindowDays, amountTolerancePence, reference]: [
    MatchRule['kind'],
    number,
    number,
    MatchRule['reference'],
  ],
  itemKinds?: ExpectedItem['kind'][],
): MatchRule {
  const fields = { name, kind, dateWindowDays, amountTolerancePence, reference };
  return itemKinds === undefined ? fields : { ...fields, itemKinds };
}

// Strictest first: each rule sees only what the earlier ones left.
const rules: MatchRule[] = [
  rule('same-day', ['one_to_one', 0, 0, 'exact']),
  rule('within-3-days', ['one_to_one', 3, 0, 'exact']),
  rule('payout-in-text', ['one_to_one', 3, 2, 'contains'], ['psp_payout']),
  rule('bags-banked-together', ['one_to_many', 1, 0, 'exact'], ['cash_banking']),
  rule('payout-in-parts', ['many_to_one', 2, 0, 'contains'], ['psp_payout']),
];

/** The least work any matcher must do: index items by amount and look each line up once. */
function floorPass(): { elapsedMs: number; hits: number } {
  const started = performance.now();
  const byAmount = new Map<number, string[]>();
  for (const expected of items) {
    const ids = byAmount.get(expected.amountPence);
    if (ids === undefined) byAmount.set(expected.amountPence, [expected.id]);
    else ids.push(expected.id);
  }
  let hits = 0;
  for (const statement of lines) if (byAmount.has(statement.amountPence)) hits++;
  return { elapsedMs: performance.now() - started, hits };
}

const rssBeforeMb = Math.round(process.memoryUsage().rss / 1_048_576);
const floor = floorPass();
// Garbage-collector pauses inside the timed run, to tell engine work from heap upkeep.
const gcPauses: { startTime: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry);
});
gcObserver.observe({ entryTypes: ['gc'] });
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = reconcile(lines, items, rules, { asOf: '2026-04-10' });
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// GC entries are delivered on a later turn of the event loop.
await new Promise((resolve) => setTimeout(resolve, 50));
gcObserver.disconnect();
const gcMs = gcPauses
  .filter((pause) => pause.startTime >= started && pause.startTime <= started + elapsedMs)
  .reduce((total, pause) => total + pause.duration, 0);

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
const recordsPerSecond = (ms: number) => Math.round(((2 * size) / ms) * 1000);
const cpus = os.cpus();

console.log(
  JSON.stringify(
    {
      statementLines: lines.length,
      expectedItems: items.length,
      generatedScenarios: countBy(scenarioNames),
      elapsedMs: Math.round(elapsedMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      gcPauseMs: Math.round(gcMs),
      recordsPerSecond: recordsPerSecond(elapsedMs),
      floor: {
        elapsedMs: Math.round(floor.elapsedMs),
        recordsPerSecond: recordsPerSecond(floor.elapsedMs),
        linesWithAmountHit: floor.hits,
      },
      engineOverFloor: Number((elapsedMs / floor.elapsedMs).toFixed(1)),
      matchesByRule: countBy(result.matches.map((match) => match.rule)),
      exceptionsByKind: countBy(result.exceptions.map((exception) => exception.kind)),
      rssAfterGenerationMb: rssBeforeMb,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
    },
    null,
    2,
  ),
);
