import { encryptingCodecsOf } from '../db/councilKeys';
import { requireCouncil } from '../db/councils';
import { type ContactSource, rememberPayerEmail } from '../db/payerContacts';
import { workSettingsFrom } from '../platform/config';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';
import type { ApiContext } from './context';
import { ProblemError } from './problem';

/**
 * A payer's email address given with a payment (docs/email.md), for the card and counter
 * payment routes alike: refused (naming `body.email`) where the deployment cannot seal it, then
 * kept sealed under the payment's id for PAYER_EMAIL_RETAIN_DAYS.
 */
export function payerEmailCodec(ctx: ApiContext): AesGcmPayloadCodec {
  const codec = encryptingCodecsOf(ctx.temporal.options.loadedDataConverter)[0];
  if (codec !== undefined) return codec;
  throw new ProblemError('unprocessable', 'This deployment cannot keep email addresses', [
    { field: 'body.email', message: 'needs PAYLOAD_ENCRYPTION_KEYS to be kept (docs/email.md)' },
  ]);
}

export function keepPayerEmail(
  ctx: ApiContext,
  codec: AesGcmPayloadCodec,
  sourceId: string,
  email: string,
  capturedFrom: ContactSource,
): Promise<void> {
  return rememberPayerEmail(ctx.db, codec, {
    councilId: requireCouncil(),
    sourceId,
    email,
    capturedFrom,
    retainDays: workSettingsFrom().PAYER_EMAIL_RETAIN_DAYS,
  });
}
