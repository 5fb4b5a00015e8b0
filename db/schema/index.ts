export * from './config';
export * from './ledger';
export * from './payments';
export * from './platform';
export * from './imports';
