import { ProblemError } from './problem';

/**
 * The one place database errors become problems. Configuration is checked before it is
 * written, so these are the races and the cases only the database can see (two writers
 * creating the same code, a second suspense fund); the constraint name says which field.
 */

const fieldsByConstraint: Record<string, string> = {
  one_suspense_fund: 'body.isSuspense',
  funds_council_id_vat_code_vat_codes_council_id_code_fk: 'body.vatCode',
  fund_group_members_council_id_fund_code_funds_council_id_code_fk: 'body.fundCodes',
  reference_routes_council_id_fund_code_funds_council_id_code_fk: 'body.routes',
  fund_max_positive: 'body.maxPence',
  vat_rate_range: 'body.rateBasisPoints',
  mop_limits: 'body.minPence',
  office_code_two_letters: 'body.code',
  import_rules_council_id_id_pk: 'body.id',
  users_username: 'body.username',
  account_holders_council_id_fund_code_reference_pk: 'reference',
};

type PostgresError = { code: string; constraint_name?: string; detail?: string };

/** drizzle wraps driver errors in its own (DrizzleQueryError); the cause is the driver's. */
function postgresErrorIn(error: unknown): PostgresError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as { code?: unknown; severity?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && typeof candidate.severity === 'string') {
      return candidate as PostgresError;
    }
    current = candidate.cause;
  }
  return null;
}

function fieldFor(constraint: string | undefined): string {
  if (constraint === undefined) return 'body';
  return (
    fieldsByConstraint[constraint] ??
    (/_council_id_code_pk$/.test(constraint) ? 'body.code' : 'body')
  );
}

export function problemFromDatabaseError(error: unknown): ProblemError | null {
  const pg = postgresErrorIn(error);
  if (pg === null) return null;
  const field = fieldFor(pg.constraint_name);
  switch (pg.code) {
    case '23505': {
      const message =
        field === 'body.isSuspense' ? 'there is already a suspense fund' : 'already exists';
      return new ProblemError('conflict', `Conflicts with existing data (${field})`, [
        { field, message },
      ]);
    }
    case '23503':
      return new ProblemError('validation_failed', 'Refers to something that does not exist', [
        { field, message: 'must name an existing entry' },
      ]);
    case '23514':
      return new ProblemError('validation_failed', 'A value is out of range', [
        { field, message: 'is out of range' },
      ]);
    default:
      return null;
  }
}

/** Runs database work and turns the errors a client can cause into problems. */
export async function mapDatabaseErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw problemFromDatabaseError(error) ?? error;
  }
}
