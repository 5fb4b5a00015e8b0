import type { Database, Sql } from '../db/client';
import type { Logger } from '../platform/logger';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import type { PaymentServiceProvider } from '../psp';
import { createBankMatchingActivities } from './bankMatching';
import { createCashReturnActivities } from './cashReturn';
import { createCloseOfDayActivities } from './closeOfDay';
import { createEmailActivities } from './email';
import { createImportActivities } from './import';
import { createOutboxActivities } from './outbox';
import { createPaymentActivities } from './payment';
import { createProbeActivities } from './probe';
import { createRefundActivities } from './refund';
import { createSettlementActivities } from './settlement';
import { createSuspenseActivities } from './suspense';

export type ActivityDeps = {
  db: Database;
  sql: Sql;
  logger: Logger;
  psp: PaymentServiceProvider;
  /** Opens webhook signing secrets; absent without PAYLOAD_ENCRYPTION_KEYS (none can be made). */
  codec?: AesGcmPayloadCodec;
};

/** Every activity the worker registers, built from its dependencies so tests can pass their own. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProbeActivities(deps),
    ...createPaymentActivities(deps),
    ...createSuspenseActivities(deps),
    ...createRefundActivities(deps),
    ...createImportActivities(deps),
    ...createCloseOfDayActivities(deps),
    ...createSettlementActivities(deps),
    ...createBankMatchingActivities(deps),
    ...createOutboxActivities(deps),
    ...createEmailActivities(deps),
    ...createCashReturnActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
