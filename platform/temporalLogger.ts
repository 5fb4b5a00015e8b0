import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const levelMap: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's own logs through pino, so every line of the worker is JSON. */
export function temporalLogger(logger: Logger): DefaultLogger {
  const child = logger.child({ source: 'temporal-sdk' });
  return new DefaultLogger('INFO', (entry) => {
    child[levelMap[entry.level]]({ ...entry.meta }, entry.message);
  });
}
