import { z } from 'zod';
import { methodOfPaymentStore, officeStore, vatCodeStore } from '../../db/configEntities';
import { configRoutes } from '../configRoutes';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import {
  codeSchema,
  nameSchema,
  officeCodeSchema,
  penceSchema,
  timestampsShape,
} from '../schemas/common';

/** VAT codes, methods of payment and offices: configuration with no rules of its own. */

const vatCodeFields = {
  name: nameSchema,
  rateBasisPoints: z.number().int().min(0).max(10_000).describe('2000 means 20%'),
};

const methodFlags = {
  isCard: z.boolean().optional(),
  isCash: z.boolean().optional(),
  isCheque: z.boolean().optional(),
  isRefundable: z.boolean().optional(),
  incursFee: z.boolean().optional(),
  isInternal: z.boolean().optional().describe('Journals and transfers: no money arrives'),
};

const methodFields = {
  name: nameSchema,
  minPence: penceSchema,
  maxPence: penceSchema,
  ...methodFlags,
};

const requiredFlags = Object.fromEntries(
  Object.keys(methodFlags).map((flag) => [flag, z.boolean()]),
);

const officeFields = { name: nameSchema };

export function configurationRoutes(ctx: ApiContext) {
  return [
    ...configRoutes(ctx, {
      store: vatCodeStore,
      path: '/v1/vat-codes',
      tag: 'configuration',
      noun: 'VatCode',
      plural: 'VatCodes',
      key: { name: 'code', schema: codeSchema },
      fields: vatCodeFields,
      view: z
        .object({ code: z.string(), ...vatCodeFields, ...timestampsShape })
        .meta({ id: 'VatCode' }),
    }),
    ...configRoutes(ctx, {
      store: methodOfPaymentStore,
      path: '/v1/methods-of-payment',
      tag: 'configuration',
      noun: 'MethodOfPayment',
      plural: 'MethodsOfPayment',
      key: { name: 'code', schema: codeSchema },
      fields: methodFields,
      view: z
        .object({ code: z.string(), ...methodFields, ...requiredFlags, ...timestampsShape })
        .meta({ id: 'MethodOfPayment' }),
      check: async (_tx, merged) => {
        if ((merged.minPence as number) > (merged.maxPence as number)) {
          throw new ProblemError('validation_failed', 'The limits are the wrong way round', [
            { field: 'body.minPence', message: 'must not exceed maxPence' },
          ]);
        }
      },
    }),
    ...configRoutes(ctx, {
      store: officeStore,
      path: '/v1/offices',
      tag: 'configuration',
      noun: 'Office',
      plural: 'Offices',
      key: { name: 'code', schema: officeCodeSchema },
      fields: officeFields,
      view: z
        .object({ code: z.string(), ...officeFields, ...timestampsShape })
        .meta({ id: 'Office' }),
    }),
  ];
}
