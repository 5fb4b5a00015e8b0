import { AsyncLocalStorage } from 'node:async_hooks';
import { assertCouncilId } from '../domain/council';

/**
 * Which council the current piece of work (an API request, an activity) acts for. Set once, where
 * the council becomes known: by the API from the authenticated principal, by the worker from the
 * workflow id. Database pools (db/councils.ts) and the payload codec read it implicitly, so no
 * query and no payload can forget it.
 */
const councilScope = new AsyncLocalStorage<string>();

export function withCouncil<T>(councilId: string, work: () => T): T {
  return councilScope.run(assertCouncilId(councilId), work);
}

export function currentCouncil(): string | undefined {
  return councilScope.getStore();
}

/** For code that must never run outside a council (a programmer error if it does). */
export function requireCouncil(): string {
  const councilId = councilScope.getStore();
  if (councilId === undefined) throw new Error('no council in scope for this work');
  return councilId;
}
