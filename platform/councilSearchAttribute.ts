import type { WorkflowClientInterceptor } from '@temporalio/client';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { councilOfWorkflowId } from '../domain/council';
import { imsCouncilKey } from '../workflows/searchAttributes';

type StartOptions = {
  workflowId: string;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
};

/** Adds ImsCouncil, from the workflow id, unless the caller set it already. */
function withCouncilAttribute<T extends StartOptions>(options: T): T {
  const pair: SearchAttributePair = {
    key: imsCouncilKey,
    value: councilOfWorkflowId(options.workflowId),
  };
  const existing = options.typedSearchAttributes;
  if (existing instanceof TypedSearchAttributes) {
    if (existing.get(imsCouncilKey) !== undefined) return options;
    return { ...options, typedSearchAttributes: existing.updateCopy([pair]) };
  }
  if (existing?.some((item) => item.key.name === imsCouncilKey.name)) return options;
  return { ...options, typedSearchAttributes: [...(existing ?? []), pair] };
}

/**
 * Every workflow a client starts carries its council as a search attribute, so operations lists
 * can be kept to one council and offboarding can find all of a council's workflows.
 */
export const councilSearchAttributeInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next({ ...input, options: withCouncilAttribute(input.options) }),
  startWithDetails: (input, next) =>
    next({ ...input, options: withCouncilAttribute(input.options) }),
  signalWithStart: (input, next) =>
    next({ ...input, options: withCouncilAttribute(input.options) }),
  startUpdateWithStart: (input, next) =>
    next({ ...input, workflowStartOptions: withCouncilAttribute(input.workflowStartOptions) }),
};
