/** What the global setup hands every integration test file. */
export type StackInfo = {
  adminUrl: string;
  temporalAddress: string;
  namespace: string;
  workflowBundlePath: string;
};

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
