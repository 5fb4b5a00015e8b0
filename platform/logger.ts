import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Paths that could carry personal data are redacted at the source, so a
 * careless `log.info({ body })` cannot leak a payer's name or address into log storage.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["pay-signature"]',
  'email',
  '*.email',
  '*.emailAddress',
  '*.email_address',
  '*.name',
  '*.address',
  '*.cardholderName',
  '*.cardholder_name',
  '*.payerName',
  '*.accountHolderName',
  'body',
  'req.body',
];

/** `destination`: stdout unless given (tests read what the IMS would have logged). */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'ims', ...base },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
