import { z } from 'zod';
import { importRuleStore } from '../../db/configEntities';
import { getImportProfile } from '../../db/imports';
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
      setAmountPence: z
        .number()
        .int()
        .positive()
        .max(Number.MAX_SAFE_INTEGER)
        .optional()
        .describe('Replaces the row’s amount, in pence'),
    })
    .strict(),
  profileId: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'must be an import profile id')
    .nullable()
    .optional()
    .describe('Only rows of files read with this profile; null or absent: every profile'),
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

type StoredRule = {
  id: string;
  name: string;
  position: number;
  profileId?: string | null;
} & Pick<ImportRule, 'conditionGroups' | 'actions' | 'stopProcessing'>;

function toRule(stored: StoredRule): ImportRule {
  const { position, profileId: _profile, ...rest } = stored;
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
  const profileId = patch.profileId as string | null | undefined;
  if (typeof profileId === 'string' && (await getImportProfile(tx, profileId)) === null)
    throw new ProblemError('validation_failed', 'No such import profile', [
      { field: 'body.profileId', message: `no import profile ${profileId}` },
    ]);
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
      body: z
        .object({
          rows: z.array(importRowSchema).min(1).max(1000),
          profileId: z
            .string()
            .optional()
            .describe(
              'Run the rules a file of this profile would meet; absent: unscoped rules only',
            ),
        })
        .strict(),
      successStatus: 200,
      success: {
        description: 'Each row after the rules, with the ids of the rules that matched',
        schema: z.object({
          results: z.array(z.object({ row: importRowSchema, matchedRuleIds: z.array(z.string()) })),
        }),
      },
      handler: async ({ body }) => {
        const stored = await importRuleStore.list(ctx.db, { disabled: false });
        const scoped = stored.filter(
          (rule) => rule.profileId == null || rule.profileId === body.profileId,
        );
        const compiled = compileRules(scoped.map(toRule));
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
        .object({
          id: z.string(),
          ...ruleFields,
          stopProcessing: z.boolean(),
          profileId: z.string().nullable(),
          ...timestampsShape,
        })
        .meta({ id: 'ImportRule' }),
      check: checkRule,
    }),
  ];
}
