import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../db/client';
import { councilNameOf, receiptLinesOf } from '../db/emailFacts';
import {
  countEmailAttempt,
  type EmailRow,
  emailToSend,
  markEmailEnded,
  markEmailSent,
  staffEmailOf,
} from '../db/emailMessages';
import { eraseExpiredPayerContacts, openPayerEmail } from '../db/payerContacts';
import {
  notifyReferenceOf,
  receiptPersonalisation,
  refundPersonalisation,
  returnVoidedPersonalisation,
} from '../domain/email';
import { createNotifyEmailSender, EmailSendError, type EmailSender } from '../notify/emailSender';
import { workSettingsFrom } from '../platform/config';
import { requireCouncil } from '../platform/councilScope';
import type { Logger } from '../platform/logger';
import type { AesGcmPayloadCodec } from '../platform/payloadCodec';

/**
 * Payer email's side effects (docs/email.md): one activity sends one logged email through GOV.UK
 * Notify. A refusal Notify calls permanent (a 400: bad template, bad address) ends the email as
 * failed; anything else (Notify down, rate limited, no answer) is thrown for Temporal to retry
 * under the relay's policy. Logs name the email and its outcome, never the address or values.
 */
export const emailRetryFailureType = 'EmailSendRetry';

export type EmailOutcome = 'sent' | 'already_sent' | 'failed' | 'skipped';

function senderFrom(): EmailSender | null {
  const settings = workSettingsFrom();
  if (settings.NOTIFY_API_KEY === undefined) return null;
  return createNotifyEmailSender({
    apiKey: settings.NOTIFY_API_KEY,
    ...(settings.NOTIFY_BASE_URL === undefined ? {} : { baseUrl: settings.NOTIFY_BASE_URL }),
  });
}

async function personalisationOf(
  db: Database,
  councilId: string,
  email: EmailRow,
  payload: Record<string, unknown>,
): Promise<Record<string, string>> {
  const councilName = await councilNameOf(db, councilId);
  if (email.purpose === 'ereturn_voided')
    return returnVoidedPersonalisation({
      councilName,
      returnId: email.sourceId,
      officeCode: String(payload.officeCode ?? ''),
      businessDate: String(payload.businessDate ?? ''),
      voidedBy: String(payload.voidedBy ?? ''),
      reason: String(payload.reason ?? ''),
    });
  const postingDate = String(payload.postingDate ?? '');
  const amountPence = Number(payload.amountPence ?? 0);
  if (email.purpose === 'payment_receipt')
    return receiptPersonalisation({
      councilName,
      paymentId: email.sourceId,
      postingDate,
      amountPence,
      lines: await receiptLinesOf(db, email.sourceId),
    });
  return refundPersonalisation({
    councilName,
    refundId: String(payload.refundId ?? ''),
    paymentId: email.sourceId,
    postingDate,
    amountPence,
    method: String(payload.method ?? ''),
  });
}

export function createEmailActivities(deps: {
  db: Database;
  logger: Logger;
  codec?: AesGcmPayloadCodec;
}) {
  const { db, logger } = deps;
  /** The payer's sealed address, or, for a voided cash return, the cashier's staff account's. */
  const addressOf = async (
    email: EmailRow,
    payload: Record<string, unknown>,
    councilId: string,
  ): Promise<string | null> => {
    if (email.purpose === 'ereturn_voided') return staffEmailOf(db, String(payload.cashier ?? ''));
    if (deps.codec === undefined) return null;
    return openPayerEmail(db, deps.codec, councilId, email.sourceId);
  };
  return {
    async sendPayerEmail(input: { emailId: string }): Promise<EmailOutcome> {
      const found = await emailToSend(db, input.emailId);
      if (found === null) throw new Error(`no email ${input.emailId}`);
      const { email, message } = found;
      if (email.status !== 'pending') return 'already_sent';
      const sender = senderFrom();
      const councilId = requireCouncil();
      const address = await addressOf(email, message.payload, councilId);
      if (sender === null || address === null || email.templateId === null) {
        const why =
          sender === null
            ? 'GOV.UK Notify is not configured (NOTIFY_API_KEY)'
            : address === null
              ? 'the address was erased (or removed) before the email could be sent'
              : 'no Notify template';
        await markEmailEnded(db, email.id, 'skipped', why);
        logger.warn({ emailId: email.id, why }, 'payer email skipped');
        return 'skipped';
      }
      try {
        const sent = await sender.send({
          templateId: email.templateId,
          emailAddress: address,
          personalisation: await personalisationOf(db, councilId, email, message.payload),
          reference: notifyReferenceOf(councilId, email.id),
        });
        await markEmailSent(db, email.id, sent.notificationId);
        logger.info({ emailId: email.id, purpose: email.purpose }, 'payer email handed to Notify');
        return 'sent';
      } catch (error) {
        if (!(error instanceof EmailSendError)) throw error;
        await countEmailAttempt(db, email.id, error.message);
        if (!error.retryable) {
          await markEmailEnded(db, email.id, 'failed', error.message);
          logger.warn({ emailId: email.id, status: error.httpStatus }, 'payer email refused');
          return 'failed';
        }
        logger.info({ emailId: email.id, status: error.httpStatus }, 'payer email to retry');
        throw ApplicationFailure.retryable(error.message, emailRetryFailureType);
      }
    },

    async markEmailFailed(input: { emailId: string; error: string }): Promise<void> {
      await markEmailEnded(db, input.emailId, 'failed', input.error);
      logger.warn({ emailId: input.emailId }, 'payer email failed: retries ran out');
    },

    /** The sweep's: addresses past PAYER_EMAIL_RETAIN_DAYS are deleted. */
    async erasePayerEmails(): Promise<{ erased: number }> {
      return { erased: await eraseExpiredPayerContacts(db) };
    },
  };
}
