import { NotifyClient } from 'notifications-node-client';

/**
 * The one interface the IMS sends email through (receipts, refund confirmations). Names are
 * ours; the adapter below speaks GOV.UK Notify through its official client, pointed at the real
 * Notify or at the local simulator (notify/simulator), which answer alike.
 */
export type EmailToSend = {
  templateId: string;
  emailAddress: string;
  personalisation: Record<string, string>;
  /** Ours, unique per message: Notify shows it, and its status callbacks carry it back. */
  reference: string;
};

export type EmailSent = { notificationId: string };

export class EmailSendError extends Error {
  constructor(
    message: string,
    /** True when sending again later may work: Notify down, rate limited, a network fault. */
    readonly retryable: boolean,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
    this.name = 'EmailSendError';
  }
}

export interface EmailSender {
  send(email: EmailToSend): Promise<EmailSent>;
}

export const notifyProductionUrl = 'https://api.notifications.service.gov.uk';

type NotifyFailure = {
  response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } };
  message?: string;
};

/** Notify's refusal in its own words, never the address or personalisation sent. */
function failureOf(error: unknown): EmailSendError {
  const failure = error as NotifyFailure;
  const status = failure.response?.status;
  const first = failure.response?.data?.errors?.[0];
  const words = first ? `${first.error}: ${first.message}` : (failure.message ?? 'no answer');
  const retryable = status === undefined || status === 429 || status >= 500;
  return new EmailSendError(
    `GOV.UK Notify refused the email (${status ?? 'no answer'}): ${words}`,
    retryable,
    status,
  );
}

export function createNotifyEmailSender(options: {
  apiKey: string;
  baseUrl?: string;
}): EmailSender {
  const client = new NotifyClient(options.baseUrl ?? notifyProductionUrl, options.apiKey);
  return {
    async send(email) {
      try {
        const response = await client.sendEmail(email.templateId, email.emailAddress, {
          personalisation: email.personalisation,
          reference: email.reference,
        });
        return { notificationId: response.data.id };
      } catch (error) {
        throw failureOf(error);
      }
    },
  };
}
