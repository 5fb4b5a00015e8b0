export * from './config';
export * from './imports';
export * from './ledger';
export * from './payments';
export * from './platform';
export * from './reconciliation';
export * from './refunds';
export * from './suspenseWork';
