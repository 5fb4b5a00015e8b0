import type { ApiContext } from '../../api/context';
import type { Page } from '../page';

/** Placeholder until this area's screens are written: no pages yet. */
export function operationsPages(_ctx: ApiContext): Page[] {
  return [];
}
