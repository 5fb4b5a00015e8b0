import type { MatchRule } from '../domain/reconciliation';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { readSetting, type StoredSetting, writeSetting } from './reconciliationSettings';

/**
 * The bank matching configuration: the engine's rules (tried in order, strictest first), the
 * window for pairing leftovers as `mismatched`, and the reference the council's PSP prints on
 * its payouts. Stored under `bank_match_rules`; the default below is in force until finance
 * saves one (PUT /v1/reconciliation/bank/rules, audited).
 */
export type BankMatchSettings = {
  rules: MatchRule[];
  /** Null: the widest rule window. */
  mismatchWindowDays: number | null;
  /**
   * What the PSP's payout credits carry on the statement (e.g. `GOVUK PAY`): the payout items'
   * reference. Empty: payouts have no reference and match on amount and date alone.
   */
  pspPayoutReference: string;
};

/**
 * The default: a reference match first (an item whose reference appears in a line's reference
 * or narrative, same amount, within 3 days), then the amount-and-date rules the IMS started
 * with: 1:1 same day, 1:1 within 3 days, many-to-one for payouts split over credits, and
 * one-to-many for one banking of several items; tolerance 0 throughout.
 */
export const defaultBankMatchSettings: BankMatchSettings = {
  rules: [
    {
      name: 'reference_within_3_days',
      kind: 'one_to_one',
      dateWindowDays: 3,
      amountTolerancePence: 0,
      reference: 'contains',
    },
    {
      name: 'same_day_exact',
      kind: 'one_to_one',
      dateWindowDays: 0,
      amountTolerancePence: 0,
      reference: 'ignore',
    },
    {
      name: 'within_3_days',
      kind: 'one_to_one',
      dateWindowDays: 3,
      amountTolerancePence: 0,
      reference: 'ignore',
    },
    {
      name: 'split_payout',
      kind: 'many_to_one',
      dateWindowDays: 3,
      amountTolerancePence: 0,
      reference: 'ignore',
      itemKinds: ['psp_payout'],
    },
    {
      name: 'banking_of_several',
      kind: 'one_to_many',
      dateWindowDays: 3,
      amountTolerancePence: 0,
      reference: 'ignore',
    },
  ],
  mismatchWindowDays: null,
  pspPayoutReference: '',
};

/** Kept for callers of the first version: the default rules. */
export const defaultBankMatchRules: readonly MatchRule[] = defaultBankMatchSettings.rules;

export function bankMatchSettings(
  db: Pick<Executor, 'select'>,
): Promise<StoredSetting<BankMatchSettings>> {
  return readSetting(db, 'bank_match_rules', defaultBankMatchSettings);
}

export function saveBankMatchSettings(
  db: Executor,
  settings: BankMatchSettings,
  meta: AuditMeta,
): Promise<StoredSetting<BankMatchSettings>> {
  return writeSetting(db, 'bank_match_rules', settings, defaultBankMatchSettings, meta);
}
