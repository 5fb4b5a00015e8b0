// A brute-force reading of the reconciliation rules, quadratic and obviously so, for tests to
// compare the indexed engine against. It shares nothing with the engine but normalisation.
import {
  type ExpectedItem,
  type Match,
  type MatchRule,
  normaliseReference,
  type ReconciliationException,
  type StatementLine,
} from '../../domain/reconciliation';
import { dayOf } from './reconciliationFixtures';

type Rec = { id: string; amountPence: number; day: number; ref: string; text: string[] };
type State = { lines: Rec[]; items: (Rec & { kind: string })[]; used: Set<string> };

const byCanonical = (a: Rec, b: Rec) =>
  a.amountPence - b.amountPence || a.day - b.day || (a.id < b.id ? -1 : 1);

export function bruteForce(
  lines: readonly StatementLine[],
  items: readonly ExpectedItem[],
  rules: readonly MatchRule[],
  asOf: string,
  mismatchWindowDays?: number,
) {
  const state: State = {
    lines: lines
      .map((l) => {
        const ref = normaliseReference(l.reference);
        const text = [ref, normaliseReference(l.narrative ?? '')];
        return { id: l.id, amountPence: l.amountPence, day: dayOf(l.date), ref, text };
      })
      .sort(byCanonical),
    items: items
      .map((i) => {
        const ref = normaliseReference(i.reference);
        return { id: i.id, amountPence: i.amountPence, day: dayOf(i.expectedDate), ref, text: [] };
      })
      .map((rec, index) => ({ ...rec, kind: (items[index] as ExpectedItem).kind }))
      .sort(byCanonical),
    used: new Set(),
  };
  const matches: Match[] = [];
  for (const rule of rules) {
    const found =
      rule.kind === 'one_to_one' ? oneToOne(state, rule) : groups(state, rule, rule.kind);
    for (const [ls, is] of found) matches.push(toMatch(rule.name, ls, is));
  }
  const windowDays = mismatchWindowDays ?? Math.max(0, ...rules.map((r) => r.dateWindowDays));
  return { matches, exceptions: leftovers(state, windowDays, dayOf(asOf)) };
}

function toMatch(rule: string, ls: Rec[], is: Rec[]): Match {
  const total = (recs: Rec[]) => recs.reduce((sum, rec) => sum + rec.amountPence, 0);
  return {
    rule,
    statementLineIds: ls.map((l) => l.id),
    expectedItemIds: is.map((i) => i.id),
    differencePence: total(ls) - total(is),
  };
}

const free = <T extends Rec>(state: State, recs: T[]) => recs.filter((r) => !state.used.has(r.id));
const take = (state: State, recs: Rec[]) => {
  for (const rec of recs) state.used.add(rec.id);
};
const kindOk = (rule: MatchRule, i: { kind: string }) =>
  rule.itemKinds === undefined || (rule.itemKinds as string[]).includes(i.kind);
const agrees = (reference: MatchRule['reference'], l: Rec, i: Rec) =>
  reference === 'ignore' ||
  (i.ref !== '' &&
    (reference === 'exact' ? l.ref === i.ref : l.text.some((t) => t.includes(i.ref))));

function oneToOne(state: State, rule: MatchRule): [Rec[], Rec[]][] {
  const found: [Rec[], Rec[]][] = [];
  for (let offset = 0; offset <= rule.dateWindowDays; offset++) {
    for (const l of free(state, state.lines)) {
      const candidates = free(state, state.items).filter(
        (i) =>
          kindOk(rule, i) &&
          agrees(rule.reference, l, i) &&
          Math.abs(l.day - i.day) === offset &&
          Math.abs(l.amountPence - i.amountPence) <= rule.amountTolerancePence,
      );
      const diff = (i: Rec) => Math.abs(l.amountPence - i.amountPence);
      candidates.sort((a, b) => diff(a) - diff(b) || (a.id < b.id ? -1 : 1));
      const best = candidates[0];
      if (best === undefined) continue;
      take(state, [l, best]);
      found.push([[l], [best]]);
    }
  }
  return found;
}

function groups(state: State, rule: MatchRule, kind: string): [Rec[], Rec[]][] {
  const oneLine = kind === 'one_to_many';
  const eligible = (i: Rec & { kind: string }) =>
    kindOk(rule, i) && (rule.reference === 'ignore' || i.ref !== '');
  // Reference keys are numbered by first appearance in item canonical order.
  const refRank = new Map<string, number>();
  for (const i of state.items)
    if (i.ref !== '' && !refRank.has(i.ref)) refRank.set(i.ref, refRank.size);
  const found: [Rec[], Rec[]][] = [];
  const seeds = oneLine ? free(state, state.lines) : free(state, state.items).filter(eligible);
  for (const seed of seeds) {
    const others = oneLine ? free(state, state.items).filter(eligible) : free(state, state.lines);
    const pool: Rec[][] = [];
    const w = rule.dateWindowDays;
    if (rule.reference === 'ignore') {
      for (let o = 0; o <= w; o++) {
        for (const day of o === 0 ? [seed.day] : [seed.day - o, seed.day + o]) {
          pool.push(others.filter((r) => r.day === day));
        }
      }
    } else {
      const inWindow = others.filter((r) => Math.abs(r.day - seed.day) <= w);
      const refs = oneLine
        ? [...new Set(inWindow.filter((i) => agrees(rule.reference, seed, i)).map((i) => i.ref))]
        : [seed.ref];
      refs.sort((a, b) => (refRank.get(a) ?? 0) - (refRank.get(b) ?? 0));
      for (const ref of refs) {
        pool.push(
          inWindow.filter((r) =>
            oneLine ? r.ref === ref : agrees(rule.reference, r, seed as Rec),
          ),
        );
      }
    }
    const total = (recs: Rec[]) => recs.reduce((sum, rec) => sum + rec.amountPence, 0);
    const group = pool.find(
      (g) => g.length >= 2 && Math.abs(seed.amountPence - total(g)) <= rule.amountTolerancePence,
    );
    if (group === undefined) continue;
    take(state, [seed, ...group]);
    found.push(oneLine ? [[seed], group] : [group, [seed]]);
  }
  return found;
}

function leftovers(state: State, windowDays: number, asOfDay: number) {
  const exceptions: ReconciliationException[] = [];
  for (const l of free(state, state.lines)) {
    const candidates = free(state, state.items).filter(
      (i) => agrees('contains', l, i) && Math.abs(l.day - i.day) <= windowDays,
    );
    const days = (i: Rec) => Math.abs(l.day - i.day);
    const pence = (i: Rec) => Math.abs(l.amountPence - i.amountPence);
    candidates.sort((a, b) => days(a) - days(b) || pence(a) - pence(b) || (a.id < b.id ? -1 : 1));
    const best = candidates[0];
    if (best === undefined) continue;
    take(state, [l, best]);
    const differencePence = l.amountPence - best.amountPence;
    exceptions.push({
      kind: 'mismatched',
      statementLineId: l.id,
      expectedItemId: best.id,
      differencePence,
    });
  }
  for (const i of free(state, state.items)) {
    exceptions.push({ kind: 'expected', expectedItemId: i.id, ageDays: asOfDay - i.day });
  }
  for (const l of free(state, state.lines)) {
    exceptions.push({ kind: 'unexpected', statementLineId: l.id });
  }
  return exceptions;
}
