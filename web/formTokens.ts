import { randomUUID } from 'node:crypto';

/** The hidden input that carries a form's one-time token (web/oneTimeForms.ts). */
export const formTokenField = '_form';

/** A fresh token for one drawn form; views call it through the `formToken()` global. */
export function mintFormToken(): string {
  return randomUUID();
}

export const formTokenPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
