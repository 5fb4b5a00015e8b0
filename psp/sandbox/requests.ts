import { z } from 'zod';
import { SandboxProblem } from './problem';
import type { NewPayment, SearchFilter } from './store';

/**
 * Parses API request bodies and queries the way GOV.UK Pay refuses them: a missing attribute is
 * 400 P0101, a bad value 422 P0102 (create); refunds use P0601/P0602; searches 422 P0401.
 * Limits are the spec's (amount 0..10,000,000, reference 255, return_url 2000) and the docs'
 * for metadata (15 keys of 1..30 characters; values strings up to 100, numbers or booleans).
 */
const metadataValue = z.union([z.string().max(100), z.number(), z.boolean()]);

const createPaymentBody = z.object({
  amount: z.number().int().min(0).max(10_000_000),
  description: z.string().max(255),
  reference: z.string().max(255),
  return_url: z.string().min(1).max(2000),
  language: z.enum(['en', 'cy']).optional(),
  email: z.string().max(254).optional(),
  metadata: z
    .record(z.string().min(1).max(30), metadataValue)
    .refine((m) => Object.keys(m).length <= 15, 'at most 15 keys')
    .optional(),
});

const refundBody = z.object({
  amount: z.number().int().min(1).max(10_000_000),
  refund_amount_available: z.number().int().min(1).max(10_000_000).optional(),
});

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const searchQuery = z.object({
  from_settled_date: z.string().regex(isoDate).optional(),
  to_settled_date: z.string().regex(isoDate).optional(),
  reference: z.string().optional(),
  state: z
    .enum(['created', 'started', 'submitted', 'success', 'failed', 'cancelled', 'error'])
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  display_size: z.coerce.number().int().min(1).max(500).default(500),
});

type Codes = { missing: string; invalid: string; invalidStatus: number };

function parseOrRefuse<T>(schema: z.ZodType<T>, input: unknown, codes: Codes): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const given = (input ?? {}) as Record<string, unknown>;
  if (field !== '' && given[field] === undefined) {
    throw new SandboxProblem(400, codes.missing, `Missing mandatory attribute: ${field}`, field);
  }
  throw new SandboxProblem(
    codes.invalidStatus,
    codes.invalid,
    `Invalid attribute value: ${field}. ${issue?.message ?? ''}`.trim(),
    field,
  );
}

export function parseCreatePayment(body: unknown): NewPayment {
  const parsed = parseOrRefuse(createPaymentBody, body, {
    missing: 'P0101',
    invalid: 'P0102',
    invalidStatus: 422,
  });
  return {
    amountPence: parsed.amount,
    description: parsed.description,
    reference: parsed.reference,
    returnUrl: parsed.return_url,
    language: parsed.language ?? 'en',
    ...(parsed.metadata === undefined ? {} : { metadata: parsed.metadata }),
    ...(parsed.email === undefined ? {} : { email: parsed.email }),
  };
}

export function parseRefund(body: unknown): { amountPence: number; availablePence?: number } {
  const parsed = parseOrRefuse(refundBody, body, {
    missing: 'P0601',
    invalid: 'P0602',
    invalidStatus: 400,
  });
  return {
    amountPence: parsed.amount,
    ...(parsed.refund_amount_available === undefined
      ? {}
      : { availablePence: parsed.refund_amount_available }),
  };
}

export function parseSearch(query: unknown): SearchFilter {
  const parsed = parseOrRefuse(searchQuery, query, {
    missing: 'P0401',
    invalid: 'P0401',
    invalidStatus: 422,
  });
  return {
    page: parsed.page,
    displaySize: parsed.display_size,
    ...(parsed.from_settled_date === undefined
      ? {}
      : { fromSettledDate: parsed.from_settled_date }),
    ...(parsed.to_settled_date === undefined ? {} : { toSettledDate: parsed.to_settled_date }),
    ...(parsed.reference === undefined ? {} : { reference: parsed.reference }),
    ...(parsed.state === undefined ? {} : { state: parsed.state }),
  };
}
