import { z } from 'zod';
import { isCouncilId } from '../../domain/council';
import type { CouncilBundle } from '../../domain/councilBundle';
import { codeSchema, nameSchema, officeCodeSchema, penceSchema } from './common';
import { referenceValidatorSchema } from './referenceValidator';

/** The onboarding document (domain/councilBundle.ts), as the API and the command read it. */

const councilIdSchema = z
  .string()
  .refine(isCouncilId, 'must be 2 to 40 lower-case letters, digits or "-", starting with a letter')
  .refine((id) => id !== 'default' && id !== 'provider', 'is reserved');

const flag = z.boolean().default(false);

export const councilBundleSchema = z
  .object({
    council: z
      .object({
        id: councilIdSchema,
        name: nameSchema,
        requestsPerMinuteMax: z.number().int().positive().max(1_000_000).optional(),
        importBytesMax: z.number().int().positive().max(2_000_000_000).nullable().optional(),
      })
      .strict(),
    administrator: z
      .object({
        username: z.string().trim().min(1).max(100),
        displayName: nameSchema,
        email: z.email().nullable().optional(),
      })
      .strict(),
    vatCodes: z
      .array(
        z
          .object({
            code: codeSchema,
            name: nameSchema,
            rateBasisPoints: z.number().int().min(0).max(10_000),
          })
          .strict(),
      )
      .min(1),
    referenceValidators: z
      .array(
        z
          .object({ code: codeSchema, name: nameSchema, validator: referenceValidatorSchema })
          .strict(),
      )
      .default([])
      .describe('Reference checks shared by several funds, which name them by validatorCode'),
    funds: z
      .array(
        z
          .object({
            code: codeSchema,
            name: nameSchema,
            validator: referenceValidatorSchema
              .optional()
              .describe("The fund's own reference check; give this or validatorCode"),
            validatorCode: codeSchema
              .optional()
              .describe('A shared reference check of referenceValidators'),
            vatCode: codeSchema,
            maxPence: penceSchema.positive(),
            ledgerCode: z.string().trim().min(1).max(40),
            costCentre: z.string().trim().min(1).max(40),
            isSuspense: flag,
            accountHolderListRequired: flag,
            refundApprovalAbovePence: penceSchema.nullable().optional(),
          })
          .strict(),
      )
      .min(1),
    fundGroups: z
      .array(
        z.object({ code: codeSchema, name: nameSchema, fundCodes: z.array(codeSchema) }).strict(),
      )
      .default([]),
    methodsOfPayment: z
      .array(
        z
          .object({
            code: codeSchema,
            name: nameSchema,
            minPence: penceSchema,
            maxPence: penceSchema,
            isCard: flag,
            isCash: flag,
            isCheque: flag,
            isRefundable: flag,
            incursFee: flag,
            isInternal: flag,
          })
          .strict(),
      )
      .min(1),
    offices: z.array(z.object({ code: officeCodeSchema, name: nameSchema }).strict()).default([]),
    referenceRoutes: z
      .array(z.object({ fundCode: codeSchema, pattern: z.string().min(1).max(200) }).strict())
      .default([]),
    importRules: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Z0-9_]{1,40}$/),
            name: nameSchema,
            position: z.number().int().min(0),
            conditionGroups: z.array(z.array(z.record(z.string(), z.unknown()))),
            actions: z
              .object({
                setFundCode: z.string().optional(),
                setReference: z.string().optional(),
                setNarrative: z.string().optional(),
              })
              .strict(),
            stopProcessing: flag,
          })
          .strict(),
      )
      .default([]),
    importProfiles: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,40}$/),
            name: nameSchema,
            kind: z.enum(['csv', 'fixedWidth', 'camt053', 'mt940']),
            definition: z.record(z.string(), z.unknown()),
            methodOfPaymentCode: codeSchema,
            clearingAccountCode: z.string().min(1).max(60),
          })
          .strict(),
      )
      .optional(),
    glLayout: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'CouncilBundle' });

/** zod's output, as the domain type (rule conditions are checked when the rules compile). */
export function asCouncilBundle(parsed: z.output<typeof councilBundleSchema>): CouncilBundle {
  return parsed as unknown as CouncilBundle;
}
