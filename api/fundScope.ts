import type { Request, Response } from 'express';
import { fundCodesInScope } from '../db/fundScope';
import { actorOf } from './actor';
import type { ApiContext } from './context';
import { ProblemError } from './problem';

/**
 * Fund-group scope: a user or key limited to some fund groups sees and acts on only their
 * funds. Reads outside the scope answer as if the thing did not exist (a 403 would confirm it
 * does); changes that name a fund outside it are refused naming the field.
 */
export type FundAccess = {
  funds: 'all' | ReadonlySet<string>;
  /** Whether the caller may see or act on this fund. */
  allows: (fundCode: string) => boolean;
  /** Refuses (403) the first named fund outside the scope. */
  requireAll: (named: readonly { field: string; fundCode: string }[]) => void;
  /** For queries: undefined when unrestricted, else the codes. */
  codes: string[] | undefined;
};

export async function fundAccessOf(
  ctx: ApiContext,
  req: Request,
  res: Response,
): Promise<FundAccess> {
  const funds = await fundCodesInScope(ctx.db, actorOf(req, res).fundScope);
  const allows = (fundCode: string) => funds === 'all' || funds.has(fundCode);
  return {
    funds,
    allows,
    codes: funds === 'all' ? undefined : [...funds],
    requireAll: (named) => {
      const outside = named.filter(({ fundCode }) => !allows(fundCode));
      if (outside.length === 0) return;
      throw new ProblemError(
        'forbidden',
        'A fund is outside your fund groups',
        outside.map(({ field, fundCode }) => ({
          field,
          message: `${fundCode} is not in your fund groups`,
        })),
      );
    },
  };
}
