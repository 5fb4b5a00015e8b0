import type { DataConverter } from '@temporalio/common';
import { dataConverterFromEnv } from '../../platform/payloadCodec';

/** What the global setup hands every integration test file. */
export type StackInfo = {
  adminUrl: string;
  temporalAddress: string;
  namespace: string;
  /** The dev server's Web UI, under the public path /temporal as npm start runs it. */
  temporalUiUrl: string;
  workflowBundlePath: string;
  /** PAYLOAD_ENCRYPTION_KEYS for this run: random keys, the first current. */
  payloadEncryptionKeys: string;
  /** The application role's password: the API and worker connect as it (db/appRole.ts). */
  appRolePassword: string;
};

/** Encrypts payloads as production does, with this run's keys (platform/payloadCodec.ts). */
export function testDataConverter(info: StackInfo): DataConverter {
  const converter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEYS: info.payloadEncryptionKeys });
  if (converter === undefined) throw new Error('the global setup provided no payload keys');
  return converter;
}

export const templateDatabase = 'ims_template';

export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
