import type { Sql } from './client';

/**
 * The claims of one-time form tokens (table form_submissions, web/oneTimeForms.ts). All of it
 * runs on the council's connection, so row-level security keeps each council's claims apart.
 */
export type FormClaim =
  /** The token was unused: this post does the work. */
  | { kind: 'claimed' }
  /** An earlier post with this token finished; `location` is where it redirected, if it did. */
  | { kind: 'done'; location: string | null }
  /** An earlier post with this token is still being worked. */
  | { kind: 'pending' }
  /** An earlier post with this token failed part-way: nobody can say what it did. */
  | { kind: 'failed' }
  /** The token was used by someone else or for another form. */
  | { kind: 'foreign' };

/** How long a used token is remembered: longer than anyone keeps a form open. */
export const formTokenRetentionDays = 7;

export async function claimFormToken(
  sql: Sql,
  claim: { token: string; actorId: string; path: string },
): Promise<FormClaim> {
  const inserted = await sql`
    insert into form_submissions (token, actor_id, path, state)
    values (${claim.token}, ${claim.actorId}, ${claim.path}, 'pending')
    on conflict do nothing
    returning token`;
  if (inserted.length === 1) return { kind: 'claimed' };
  const [earlier] = await sql<
    { actor_id: string; path: string; state: string; location: string | null }[]
  >`
    select actor_id, path, state, location from form_submissions where token = ${claim.token}`;
  // Gone between the two statements: swept, or released after a refusal. Either way unused.
  if (earlier === undefined) return claimFormToken(sql, claim);
  if (earlier.actor_id !== claim.actorId || earlier.path !== claim.path) return { kind: 'foreign' };
  if (earlier.state === 'done') return { kind: 'done', location: earlier.location };
  return earlier.state === 'failed' ? { kind: 'failed' } : { kind: 'pending' };
}

/** The first post finished: replays are answered with where it went. */
export async function completeFormToken(
  sql: Sql,
  token: string,
  location: string | null,
): Promise<void> {
  await sql`
    update form_submissions set state = 'done', location = ${location}, completed_at = now()
     where token = ${token} and state = 'pending'`;
}

/** The post was refused as it stood (nothing was done): the same form may be sent again. */
export async function releaseFormToken(sql: Sql, token: string): Promise<void> {
  await sql`delete from form_submissions where token = ${token} and state = 'pending'`;
}

/** The post failed part-way: a replay must not try again blind. */
export async function failFormToken(sql: Sql, token: string): Promise<void> {
  await sql`
    update form_submissions set state = 'failed', completed_at = now()
     where token = ${token} and state = 'pending'`;
}

/** Forgets tokens older than the retention; returns how many. */
export async function sweepFormTokens(sql: Sql): Promise<number> {
  const swept = await sql`
    delete from form_submissions
     where created_at < now() - make_interval(days => ${formTokenRetentionDays})`;
  return swept.count;
}
