import { z } from 'zod';
import { fundGroupStore, fundStore, referenceValidatorStore } from '../../db/configEntities';
import {
  type ConfigCheck,
  requireFunds,
  requireUsableReferenceValidator,
  requireUsableVatCode,
} from '../configChecks';
import { configRoutes } from '../configRoutes';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import { codeSchema, nameSchema, penceSchema, timestampsShape } from '../schemas/common';
import {
  referenceValidatorSchema,
  storedReferenceValidatorSchema,
} from '../schemas/referenceValidator';

/** Funds (with their ledger accounts) and the fund groups that staff see funds through. */

const fundFields = {
  name: nameSchema,
  validator: referenceValidatorSchema
    .optional()
    .describe("The fund's own reference check; give this or validatorCode, not both"),
  validatorCode: codeSchema
    .nullable()
    .optional()
    .describe(
      'A shared reference check (/v1/reference-validators) the fund follows; null: the fund keeps a copy of it as its own',
    ),
  vatCode: codeSchema,
  maxPence: penceSchema.min(1).describe('The largest single payment the fund accepts'),
  ledgerCode: z.string().trim().min(1).max(30),
  costCentre: z.string().trim().min(1).max(30),
  isSuspense: z.boolean().optional().describe('The one fund for unidentified money'),
  accountHolderListRequired: z
    .boolean()
    .optional()
    .describe('A reference must also be in the loaded account-holder list'),
  refundApprovalAbovePence: penceSchema
    .nullable()
    .optional()
    .describe(
      "Refunds from this fund above this need a second person's approval; null: the council's default (REFUND_APPROVAL_THRESHOLD_PENCE)",
    ),
};

const fundView = z
  .object({
    code: z.string(),
    ...fundFields,
    // Read back with the checks in force when it was saved, not today's stricter ones.
    validator: storedReferenceValidatorSchema.describe(
      'The check in force: the shared one when validatorCode is set',
    ),
    validatorCode: z.string().nullable(),
    isSuspense: z.boolean(),
    accountHolderListRequired: z.boolean(),
    refundApprovalAbovePence: z.number().int().nullable(),
    ...timestampsShape,
  })
  .meta({ id: 'Fund' });

const fundGroupFields = {
  name: nameSchema,
  fundCodes: z.array(codeSchema).max(1000).describe('The funds in the group'),
};

/** A fund has exactly one source of its reference check: its own, or a shared one. */
async function checkFundValidator(
  tx: Parameters<ConfigCheck>[0],
  merged: Record<string, unknown>,
  patch: Record<string, unknown>,
) {
  const shared = merged.validatorCode;
  if (typeof patch.validatorCode === 'string') {
    if (patch.validator !== undefined)
      throw new ProblemError('validation_failed', 'Give a reference check or a shared one', [
        { field: 'body.validator', message: 'must be absent when validatorCode is given' },
      ]);
    await requireUsableReferenceValidator(tx, patch.validatorCode, 'body.validatorCode');
    return;
  }
  if (merged.validator === undefined)
    throw new ProblemError('validation_failed', 'The fund needs a reference check', [
      { field: 'body.validator', message: 'is required unless validatorCode is given' },
    ]);
  if (patch.validator !== undefined && typeof shared === 'string')
    throw new ProblemError(
      'conflict',
      `The fund follows the shared reference check ${shared}: change that, or set validatorCode to null to give the fund its own`,
      [{ field: 'body.validator', message: `the fund follows ${shared}` }],
    );
}

const checkFund: ConfigCheck = async (tx, merged, patch) => {
  if (typeof patch.vatCode === 'string')
    await requireUsableVatCode(tx, patch.vatCode, 'body.vatCode');
  await checkFundValidator(tx, merged, patch);
  // Unidentified money must always have somewhere to go.
  if (patch.disabled === true && merged.isSuspense === true) {
    throw new ProblemError('conflict', 'The suspense fund cannot be disabled', [
      { field: 'params.code', message: 'is the suspense fund' },
    ]);
  }
};

const referenceValidatorFields = {
  name: nameSchema,
  validator: referenceValidatorSchema,
};

const referenceValidatorView = z
  .object({
    code: z.string(),
    name: z.string(),
    validator: storedReferenceValidatorSchema,
    fundCodes: z
      .array(z.string())
      .describe('The funds that follow this check: changing it changes theirs, at once'),
    ...timestampsShape,
  })
  .meta({ id: 'SharedReferenceValidator' });

/** A shared check in use stays usable: disabling it would leave funds following nothing new. */
const checkReferenceValidator: ConfigCheck = async (_tx, merged, patch) => {
  const users = (merged.fundCodes as string[] | undefined) ?? [];
  if (patch.disabled === true && users.length > 0)
    throw new ProblemError(
      'conflict',
      `The shared reference check is used by ${users.join(', ')}: move those funds off it first`,
      [{ field: 'params.code', message: `used by ${users.length} fund(s)` }],
    );
};

export function fundRoutes(ctx: ApiContext) {
  return [
    ...configRoutes(ctx, {
      store: referenceValidatorStore,
      path: '/v1/reference-validators',
      tag: 'configuration',
      noun: 'ReferenceValidator',
      plural: 'ReferenceValidators',
      key: { name: 'code', schema: codeSchema },
      fields: referenceValidatorFields,
      view: referenceValidatorView,
      check: checkReferenceValidator,
    }),
    ...configRoutes(ctx, {
      store: fundStore,
      path: '/v1/funds',
      tag: 'configuration',
      noun: 'Fund',
      plural: 'Funds',
      key: { name: 'code', schema: codeSchema },
      fields: fundFields,
      view: fundView,
      check: checkFund,
    }),
    ...configRoutes(ctx, {
      store: fundGroupStore,
      path: '/v1/fund-groups',
      tag: 'configuration',
      noun: 'FundGroup',
      plural: 'FundGroups',
      key: { name: 'code', schema: codeSchema },
      fields: fundGroupFields,
      view: z
        .object({ code: z.string(), ...fundGroupFields, ...timestampsShape })
        .meta({ id: 'FundGroup' }),
      check: async (tx, _merged, patch) => {
        if (!Array.isArray(patch.fundCodes)) return;
        await requireFunds(tx, patch.fundCodes as string[], (index) => `body.fundCodes[${index}]`);
      },
    }),
  ];
}
