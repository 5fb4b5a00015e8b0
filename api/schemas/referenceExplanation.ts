import { z } from 'zod';
import { referenceSteps, stepOutcomes } from '../../domain/references';
import { codeSchema } from './common';
import { storedReferenceValidatorSchema } from './referenceValidator';

/**
 * "Try a reference": the body names a saved fund or carries a draft validator (to try rules
 * before saving them), never both. A draft need only be usable (its pattern compiles): it is
 * being tried, not saved, so it needs no examples yet.
 */
export const explainBody = z
  .object({
    reference: z.string().max(200),
    fundCode: codeSchema.optional().describe('Try the fund’s saved validator'),
    validator: storedReferenceValidatorSchema.optional().describe('Or try a draft validator'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.fundCode === undefined) === (body.validator === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fundCode'],
        message: 'give either fundCode or validator, not both and not neither',
      });
    }
  });

export const explanationSchema = z
  .object({
    valid: z.boolean(),
    normalisedReference: z.string().describe('Trimmed and upper-cased, as every step saw it'),
    steps: z.array(z.object({ step: z.enum(referenceSteps), outcome: z.enum(stepOutcomes) })),
    failure: z
      .object({
        step: z.enum(referenceSteps),
        code: z.string().describe('The code validation answers, e.g. check_digit_mismatch'),
        message: z.string(),
      })
      .nullable(),
    checkCharacter: z
      .object({
        position: z.number().int().describe('0-based'),
        found: z.string(),
        expected: z.string().nullable().describe('Null: no single character makes it valid'),
      })
      .nullable()
      .describe('Given when a check digit is configured and every step before it passed'),
    summary: z.string().describe('One sentence for a person'),
  })
  .meta({ id: 'ReferenceExplanation' });
