export { describeExpectedItem } from './describe';
export { assertValidRules, reconcile } from './reconcile';
export { normaliseReference } from './references';
export type {
  ExpectedItem,
  ExpectedItemKind,
  Match,
  MatchKind,
  MatchRule,
  ReconcileOptions,
  ReconciliationException,
  ReconciliationResult,
  ReferenceRule,
  StatementLine,
} from './types';
