import { z } from 'zod';
import { importRuleStore } from '../../db/configEntities';
import {
  applyRules,
  compileRules,
  type ImportRule,
  ImportRuleError,
} from '../../domain/importRules';
import { type ConfigCheck, requireFunds } from '../configChecks';
import { configRoutes } from '../configRoutes';
import type { ApiContext } from '../context';
import { type FieldError, ProblemError } from '../problem';
import { defineRoute } from '../route';
import { codeSchema, nameSchema, timestampsShape } from '../schemas/common';

/**
 * Import rules: stored as data, checked by compiling them with the same code the imports run
 * (domain/importRules.ts), and testable against sample rows before a real import.
 */

const conditionSchema = z
  .object({
    field: z.enum(['reference', 'amountPence', 'narrative', 'fundCode']),
    operator: z.enum([
      'contains',
      'notContains',
      'startsWith',
      'endsWith',
      'equals',
      'greaterThan',
      'lessThan',
      'matches',
    ]),
    value: z.string().max(500),
  })
  .strict();

const ruleFields = {
  name: nameSchema,
  position: z.number().int().min(0).max(1_000_000).describe('Rules run in ascending position'),
  conditionGroups: z
    .array(z.array(conditionSchema).min(1).max(50))
    .min(1)
    .max(50)
    .describe('AND within a group, OR between groups'),
  actions: z
    .object({
      setFundCode: codeSchema.optional(),
      setReference: z.string().max(100).optional(),
      setNarrative: z.string().max(500).optional(),
    })
    .strict(),
  stopProcessing: z.boolean().optional(),
};

const ruleIdSchema = z
  .string()
  .regex(/^[A-Z0-9_]{1,40}$/, 'must be 1 to 40 upper-case letters, digits or "_"');

const importRowSchema = z
  .object({
    reference: z.string().max(200),
    amountPence: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    narrative: z.string().max(1000),
    fundCode: z.string().max(20).nullable(),
  })
  .strict()
  .meta({ id: 'ImportRow' });

type StoredRule = { id: string; name: string; position: number } & Pick<
  ImportRule,
  'conditionGroups' | 'actions' | 'stopProcessing'
>;

function toRule(stored: StoredRule): ImportRule {
  const { position, ...rest } = stored;
  return { ...rest, order: position };
}

/** Compiles the rule; a refusal names the first condition that cannot compile, if any. */
function compileProblem(rule: ImportRule): FieldError | null {
  try {
    compileRules([rule]);
    return null;
  } catch (error) {
    if (!(error instanceof ImportRuleError)) throw error;
    for (const [g, group] of rule.conditionGroups.entries()) {
      for (const [c, condition] of group.entries()) {
        try {
          compileRules([{ ...rule, conditionGroups: [[condition]] }]);
        } catch (inner) {
          if (inner instanceof ImportRuleError) {
            return { field: `body.conditionGroups[${g}][${c}]`, message: inner.message };
          }
          throw inner;
        }
      }
    }
    return { field: 'body', message: error.message };
  }
}

const checkRule: ConfigCheck = async (tx, merged, patch) => {
  const problem = compileProblem(toRule(merged as StoredRule));
  if (problem !== null)
    throw new ProblemError('validation_failed', 'The rule cannot be compiled', [problem]);
  const fundCode = (patch.actions as ImportRule['actions'] | undefined)?.setFundCode;
  if (fundCode !== undefined) await requireFunds(tx, [fundCode], () => 'body.actions.setFundCode');
};

export function importRuleRoutes(ctx: ApiContext) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/import-rules/evaluate',
      operationId: 'evaluateImportRules',
      access: { permission: 'view' },
      summary: 'Run the enabled import rules over sample rows, writing nothing',
      tags: ['configuration'],
      body: z.object({ rows: z.array(importRowSchema).min(1).max(1000) }).strict(),
      successStatus: 200,
      success: {
        description: 'Each row after the rules, with the ids of the rules that matched',
        schema: z.object({
          results: z.array(z.object({ row: importRowSchema, matchedRuleIds: z.array(z.string()) })),
        }),
      },
      handler: async ({ body }) => {
        const stored = await importRuleStore.list(ctx.db, { disabled: false });
        const compiled = compileRules(stored.map(toRule));
        return { results: body.rows.map((row) => applyRules(compiled, row)) };
      },
    }),
    ...configRoutes(ctx, {
      store: importRuleStore,
      path: '/v1/import-rules',
      tag: 'configuration',
      noun: 'ImportRule',
      plural: 'ImportRules',
      key: { name: 'id', schema: ruleIdSchema },
      fields: ruleFields,
      view: z
        .object({ id: z.string(), ...ruleFields, stopProcessing: z.boolean(), ...timestampsShape })
        .meta({ id: 'ImportRule' }),
      check: checkRule,
    }),
  ];
}
