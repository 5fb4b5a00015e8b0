import type { Sql } from '../db/client';
import { financialPeriodOf } from '../domain/financialPeriod';

/**
 * A generated ledger for the search benchmark, written with COPY through every constraint,
 * index and trigger the real tables have (so the time it takes is the floor of writing that
 * many postings). Shape, from a fixed seed: collection files of `importLines` lines each (one
 * journal per file: one clearing debit and a credit per line, as an import chunk posts), and
 * card payments (a payments row with card details, a two-line journal). Postings spread over
 * one financial year; import lines share their file's time, as a chunk's do.
 */
export type LedgerShape = { postings: number; cardShare: number; importLines: number };

export const benchFunds = ['CTAX', 'NNDR', 'PCN', 'RENT', 'SUND'];
export const benchUsers = Array.from({ length: 40 }, (_, i) => `staff.${i + 1}`);
export const benchNarrativeWords = ['collection', 'arrears', 'instalment', 'balance', 'final'];
const yearStartMs = Date.parse('2025-04-01T08:00:00Z');
const yearMs = 364 * 86_400_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const referenceOf = (n: number) => String(100_000_000 + (n % 900_000_000));
const iso = (ms: number) => new Date(ms).toISOString();

type Copy = { write: (line: string) => Promise<void>; end: () => Promise<void> };

async function copyInto(tx: Pick<Sql, 'unsafe'>, statement: string): Promise<Copy> {
  const stream = await tx.unsafe(statement).writable();
  let buffer = '';
  const flush = () =>
    new Promise<void>((resolve, reject) =>
      stream.write(buffer, (error) => (error ? reject(error) : resolve())),
    );
  return {
    write: async (line) => {
      buffer += line;
      if (buffer.length < 1 << 20) return;
      await flush();
      buffer = '';
    },
    end: async () => {
      if (buffer.length > 0) await flush();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.end(resolve);
      });
    },
  };
}

function journalLine(
  id: string,
  kind: string,
  ms: number,
  source: [string, string],
  lines: number,
  total: number,
) {
  const day = iso(ms).slice(0, 10);
  const { financialYear, period } = financialPeriodOf(day);
  return `${id}\t${id}\t-\t${kind}\t${kind} ${id}\t${day}\t${financialYear}\t${period}\tsystem:bench\t${source[0]}\t${source[1]}\t${lines}\t${total}\t${iso(ms)}\n`;
}

const journalColumns =
  'copy journals (id, idempotency_key, content_hash, kind, description, posting_date, financial_year, period, caused_by, source_type, source_id, line_count, total_pence, created_at) from stdin';
const postingColumns =
  'copy postings (journal_id, line_no, account_code, debit_pence, credit_pence, account_reference, vat_code, narrative, source_line_no, created_at) from stdin';

/** One collection file: its imports row, its journal and its postings; one transaction. */
async function copyImport(owner: Sql, n: number, lines: number, random: () => number) {
  const id = `imp_bench_${n}`;
  const ms = yearStartMs + Math.floor(random() * yearMs);
  const amounts = Array.from({ length: lines }, () => 100 + Math.floor(random() * 99_900));
  const total = amounts.reduce((sum, pence) => sum + pence, 0);
  await owner.begin(async (tx) => {
    await tx`insert into imports (id, file_name, content_sha256, size_bytes, profile_id, state, storage_path, created_by, created_at)
      values (${id}, ${`po-${n}.txt`}, ${id}, ${lines * 52}, 'post-office', 'completed', '/dev/null',
              ${benchUsers[n % benchUsers.length] ?? 'staff.1'}, ${iso(ms)})`;
    const journals = await copyInto(tx, journalColumns);
    await journals.write(
      journalLine(`jnl_imp_${n}`, 'import', ms, ['import', id], lines + 1, total),
    );
    await journals.end();
    const postings = await copyInto(tx, postingColumns);
    await postings.write(
      `jnl_imp_${n}\t1\tCTRL:COLLECTION_CLEARING\t${total}\t0\t\\N\t\\N\t\\N\t\\N\t${iso(ms)}\n`,
    );
    for (let line = 0; line < lines; line++) {
      const fund = benchFunds[Math.floor(random() * benchFunds.length)] ?? 'CTAX';
      const word = benchNarrativeWords[Math.floor(random() * benchNarrativeWords.length)];
      // One line in 100,000 carries a rare word: the narrative search's worst case.
      const narrative = random() < 0.00001 ? `zebra ${line}` : `${word} ${n}/${line}`;
      const reference = referenceOf(Math.floor(random() * 2_000_000));
      await postings.write(
        `jnl_imp_${n}\t${line + 2}\tFUND:${fund}\t0\t${amounts[line]}\t${reference}\tO\t${narrative}\t${line + 2}\t${iso(ms)}\n`,
      );
    }
    await postings.end();
  });
}

/** `count` card payments from `first`: payments rows, journals and postings; one transaction. */
async function copyCardPayments(owner: Sql, first: number, count: number, random: () => number) {
  await owner.begin(async (tx) => {
    const rows: { n: number; ms: number; pence: number; fund: string }[] = [];
    for (let n = first; n < first + count; n++) {
      const fund = benchFunds[Math.floor(random() * benchFunds.length)] ?? 'CTAX';
      rows.push({
        n,
        ms: yearStartMs + Math.floor(random() * yearMs),
        pence: 100 + Math.floor(random() * 99_900),
        fund,
      });
    }
    const payments = await copyInto(
      tx,
      'copy payments (id, request_hash, state, amount_pence, description, return_url, method_of_payment_code, office_code, created_by, psp_payment_id, card_first_digits, card_last_digits, card_brand, card_expiry_date, journal_id, created_at) from stdin',
    );
    for (const { n, ms, pence } of rows) {
      const last4 = String(Math.floor(random() * 10_000)).padStart(4, '0');
      await payments.write(
        `pay_bench_${n}\t-\tallocated\t${pence}\tCard payment\thttps://council.example/paid\tCSS\tWB\t${benchUsers[n % benchUsers.length]}\tpsp${n}\t424242\t${last4}\tVisa\t12/30\tjnl_pay_${n}\t${iso(ms)}\n`,
      );
    }
    await payments.end();
    const journals = await copyInto(tx, journalColumns);
    for (const { n, ms, pence } of rows)
      await journals.write(
        journalLine(`jnl_pay_${n}`, 'payment', ms, ['payment', `pay_bench_${n}`], 2, pence),
      );
    await journals.end();
    const postings = await copyInto(tx, postingColumns);
    for (const { n, ms, pence, fund } of rows) {
      await postings.write(
        `jnl_pay_${n}\t1\tCTRL:PSP_CLEARING\t${pence}\t0\t\\N\t\\N\t\\N\t\\N\t${iso(ms)}\n`,
      );
      await postings.write(
        `jnl_pay_${n}\t2\tFUND:${fund}\t0\t${pence}\t${referenceOf(n * 7)}\tO\tCard payment\t\\N\t${iso(ms)}\n`,
      );
    }
    await postings.end();
  });
}

/** Writes the ledger; answers how many card payments and files it wrote. */
export async function copyLedger(
  owner: Sql,
  shape: LedgerShape,
  onProgress: (postings: number) => void,
) {
  const random = seeded(20261204);
  const cardPayments = Math.floor((shape.postings * shape.cardShare) / 2);
  const files = Math.max(
    1,
    Math.round((shape.postings - cardPayments * 2) / (shape.importLines + 1)),
  );
  const batch = 50_000;
  let written = 0;
  for (let first = 0; first < cardPayments; first += batch) {
    const count = Math.min(batch, cardPayments - first);
    await copyCardPayments(owner, first, count, random);
    written += count * 2;
    onProgress(written);
  }
  for (let n = 0; n < files; n++) {
    await copyImport(owner, n, shape.importLines, random);
    written += shape.importLines + 1;
    if (n % 20 === 0) onProgress(written);
  }
  return { cardPayments, files, postings: written };
}
