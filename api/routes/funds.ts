import { z } from 'zod';
import { fundGroupStore, fundStore } from '../../db/configEntities';
import { type ConfigCheck, requireFunds, requireUsableVatCode } from '../configChecks';
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
  validator: referenceValidatorSchema,
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
    validator: storedReferenceValidatorSchema,
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

const checkFund: ConfigCheck = async (tx, merged, patch) => {
  if (typeof patch.vatCode === 'string')
    await requireUsableVatCode(tx, patch.vatCode, 'body.vatCode');
  // Unidentified money must always have somewhere to go.
  if (patch.disabled === true && merged.isSuspense === true) {
    throw new ProblemError('conflict', 'The suspense fund cannot be disabled', [
      { field: 'params.code', message: 'is the suspense fund' },
    ]);
  }
};

export function fundRoutes(ctx: ApiContext) {
  return [
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
