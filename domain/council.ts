/**
 * Councils (tenants) and how their work is named in Temporal. Every workflow id starts with its
 * council, so ids of two councils never meet in the one namespace they share, and whatever sees
 * only a workflow id (an activity, the payload codec) knows whose data it holds.
 */

/** The council of a single-council install, and of everything from before tenancy. */
export const defaultCouncilId = 'default';

/** The service provider's own council: its operators look after every council's health. */
export const providerCouncilId = 'provider';

const councilIdPattern = /^[a-z][a-z0-9-]{1,39}$/;

export function isCouncilId(value: string): boolean {
  return councilIdPattern.test(value);
}

export function assertCouncilId(value: string): string {
  if (!isCouncilId(value)) {
    throw new TypeError(
      `not a council id: ${JSON.stringify(value)} (lower-case letters, digits, -)`,
    );
  }
  return value;
}

const separator = '/';

/**
 * `northshire/pay_…`: a workflow's id within its council. The default council's ids carry no
 * prefix, so a single-council install names its workflows exactly as before tenancy and its
 * histories replay unchanged.
 */
export function councilWorkflowId(councilId: string, localId: string): string {
  if (assertCouncilId(councilId) === defaultCouncilId) return localId;
  return `${councilId}${separator}${localId}`;
}

/** The council a workflow id belongs to: its prefix, or the default council's when it has none. */
export function councilOfWorkflowId(workflowId: string): string {
  const at = workflowId.indexOf(separator);
  if (at <= 0) return defaultCouncilId;
  const candidate = workflowId.slice(0, at);
  return isCouncilId(candidate) ? candidate : defaultCouncilId;
}
