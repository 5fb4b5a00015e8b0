import type { Request, Response } from 'express';
import { actorOf } from '../api/actor';
import type { ApiContext } from '../api/context';
import {
  claimFormToken,
  completeFormToken,
  type FormClaim,
  failFormToken,
  releaseFormToken,
  sweepFormTokens,
} from '../db/formSubmissions';
import { returnPath } from './errors';
import { formTokenField, formTokenPattern } from './formTokens';
import { render } from './render';

/**
 * One-time form tokens. Every staff form carries a token minted when the page was drawn
 * (`formToken()` in views); the first post with it claims it and does the work, and any replay of
 * that post (Back and submit again, a double click, a reloaded "created" page) is answered with
 * the first post's outcome: the same redirect, or a page saying the form was already sent.
 * Nothing that moves money or makes a credential can then happen twice from one form.
 *
 * A refusal the person can correct (the form shown again, a 4xx) releases the token; a fault
 * part-way (a 5xx) marks it failed, and a replay then says to check before trying again rather
 * than trying blind.
 */

/** The post's token: in the body, or for a multipart upload in the query, as the CSRF token. */
function tokenOf(req: Request): string | undefined {
  const fromBody =
    typeof req.body === 'object' && req.body !== null
      ? (req.body as Record<string, unknown>)[formTokenField]
      : undefined;
  const sent = fromBody ?? req.query[formTokenField];
  return typeof sent === 'string' ? sent : undefined;
}

type Replay = Exclude<FormClaim, { kind: 'claimed' }> | { kind: 'missing' };

const replayPages: Record<Replay['kind'], { status: number; heading: string; body: string }> = {
  done: {
    status: 409,
    heading: 'You have already sent this form',
    body: 'It was done the first time you sent it, so nothing has been done again. What it showed then (such as a new secret) is not shown twice.',
  },
  pending: {
    status: 409,
    heading: 'This form is still being sent',
    body: 'The first time you sent it is still being worked on. Nothing has been done twice. Wait a moment, then look at the record to see the outcome.',
  },
  failed: {
    status: 409,
    heading: 'Check before you try again',
    body: 'Something went wrong the first time you sent this form, so we cannot say whether it took effect. Look at the record before you open the form again.',
  },
  foreign: {
    status: 400,
    heading: 'This form cannot be sent',
    body: 'It was opened by someone else or for something else. Open the form again.',
  },
  missing: {
    status: 400,
    heading: 'This form is out of date',
    body: 'It was opened before a change to this service. Open the form again: nothing has been done.',
  },
};

function renderReplay(req: Request, res: Response, replay: Replay): void {
  if (replay.kind === 'done' && replay.location !== null) {
    // Post/redirect/get: the replay lands where the first post did.
    res.redirect(303, replay.location);
    return;
  }
  const page = replayPages[replay.kind];
  render(res, 'errors/form-replay.njk', { ...page, startAgain: returnPath(req) }, page.status);
}

const pendingWaitMs = 10_000;
const pendingPollMs = 200;

/** A replay that arrives while the first post is still working waits a little for its end. */
async function settled(
  ctx: ApiContext,
  claim: { token: string; actorId: string; path: string },
): Promise<FormClaim> {
  const deadline = Date.now() + pendingWaitMs;
  for (;;) {
    const now = await claimFormToken(ctx.sql, claim);
    if (now.kind !== 'pending' || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, pendingPollMs));
  }
}

/**
 * Runs a form post at most once per token. `work` answers the request (redirect, page, or an
 * error page); its status then says what became of the token.
 */
export async function postOnce(
  ctx: ApiContext,
  req: Request,
  res: Response,
  work: () => Promise<void>,
): Promise<void> {
  const actor = actorOf(req, res);
  const token = tokenOf(req);
  if (token === undefined || !formTokenPattern.test(token)) {
    // API keys post to the screens in integrations' scripts; a browser session always has a form.
    if (actor.csrfToken === undefined && token === undefined) return work();
    return renderReplay(req, res, { kind: 'missing' });
  }
  const claim = { token, actorId: actor.id, path: `${req.baseUrl}${req.path}` };
  let first = await claimFormToken(ctx.sql, claim);
  // Settled may claim it after all: the first post was refused as it stood and released it.
  if (first.kind === 'pending') first = await settled(ctx, claim);
  if (first.kind !== 'claimed') return renderReplay(req, res, first);
  let status = 500;
  try {
    await work();
    status = res.statusCode;
  } finally {
    if (status >= 300 && status < 400) {
      await completeFormToken(ctx.sql, token, String(res.getHeader('Location') ?? '/'));
    } else if (status < 300) {
      await completeFormToken(ctx.sql, token, null);
    } else if (status < 500) {
      await releaseFormToken(ctx.sql, token);
    } else {
      await failFormToken(ctx.sql, token);
    }
    await sweepFormTokens(ctx.sql);
  }
}
