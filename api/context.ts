import type { Client } from '@temporalio/client';
import type { Database, Sql } from '../db/client';
import type { DeploymentPspKeysServe } from '../db/pspCredentials';
import type { Logger } from '../platform/logger';
import type { OidcSignIn } from '../web/oidc';
import type { PaymentTiming } from '../workflows/payment';
import type { AuthSettings } from './auth/authenticate';
import type { CouncilLimits } from './councilLimits';
import type { ApiMetrics } from './metrics';

/** What route handlers may use. Built once per process (or per test file). */
export type ApiContext = {
  db: Database;
  sql: Sql;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  metrics: ApiMetrics;
  workerMetricsUrl?: string;
  version: string;
  /** GOV.UK Pay's webhook signing secret; unset means every webhook is refused. */
  webhookSecret?: string;
  /**
   * Whom the deployment's PSP keys and webhook secret serve when a council has none of its own
   * (db/pspCredentials.ts); absent: every council, as against the sandbox.
   */
  deploymentPspKeysServe?: DeploymentPspKeysServe;
  paymentTiming: PaymentTiming;
  imports: ImportSettings;
  /**
   * Where a council export is written while it is hashed, before it is sent and deleted
   * (api/councilExportDownload.ts). It needs room for the largest council's export; absent: the
   * OS temp directory, which may be memory-backed.
   */
  exportScratchDir?: string;
  /** Session timeouts and cookie flags; defaults suit development and tests. */
  auth?: AuthSettings;
  /** Express's `trust proxy`: hops or addresses of the TLS proxy in front (IMS_TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** This IMS's URL as browsers reach it (IMS_PUBLIC_URL); absent: the request's own host. */
  publicUrl?: string;
  /** Each council's request and import ceilings (api/councilLimits.ts); absent: read from the database. */
  councilLimits?: (councilId: string) => Promise<CouncilLimits>;
  /** The Temporal Web UI served at /temporal/ (TEMPORAL_UI_UPSTREAM); absent: not served. */
  temporalUiUpstream?: string;
  /** Sign-in through the council's identity provider; absent: passwords only. */
  oidc?: OidcSignIn;
};

export type ImportSettings = {
  /** Where uploaded files are kept while (and after) they are imported. */
  storageDir: string;
  maxBytes: number;
  chunkRows: number;
  parallelChunks: number;
};
