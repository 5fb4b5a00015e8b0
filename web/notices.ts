import { field } from './page';

/**
 * Success messages after a form's redirect (post/redirect/get), chosen by a key in the query
 * string from this fixed list: a link cannot make the page say anything else.
 */
const notices: Record<string, string> = {
  requested: 'The refund has been requested.',
  approved: 'The refund has been approved.',
  rejected: 'The refund has been rejected.',
  note: 'Your note has been added.',
  assigned: 'The item has been assigned.',
  allocated: 'The money has been allocated.',
  'write-off-requested': 'The write-off has been requested. Someone else must approve it.',
  'write-off-approved': 'The write-off has been approved.',
  'write-off-rejected': 'The write-off has been rejected. The money stays in suspense.',
};

export function noticeFor(query: unknown): string | undefined {
  const key =
    typeof query === 'object' && query !== null
      ? (query as Record<string, unknown>).notice
      : undefined;
  // hasOwn: `?notice=constructor` must not find Object.prototype's members.
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

/**
 * A screen's own notices, for messages only its forms give: the same rule, a fixed list chosen
 * by `?notice=`, kept apart so that one screen's key cannot make another screen say it.
 */
export function screenNotices(list: Record<string, string>) {
  return (query: unknown): string | undefined => {
    const key = field(query, 'notice');
    return Object.hasOwn(list, key) ? list[key] : undefined;
  };
}
