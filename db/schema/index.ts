export * from './config';
export * from './ledger';
export * from './platform';
