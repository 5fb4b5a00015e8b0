/**
 * The :86: narrative of an MT940 entry, as banks write it (up to 65 characters a line).
 *
 * - German/Dutch structured style: an optional three-digit transaction code, then sub-fields
 *   `?00` posting text, `?10` primanota, `?20`–`?29` and `?60`–`?63` remittance, `?30` bank
 *   code, `?31` account, `?32`/`?33` name, `?34` return reason… The remittance may carry SEPA
 *   keys (`EREF+`, `SVWZ+`, `MREF+`…), which are taken apart too.
 * - SEPA slash style: `/EREF/…/REMI/…/NAME/…` with the keys below.
 * - Anything else is free text.
 * Structured narratives are one field cut into lines wherever the bank liked, so their lines
 * join with nothing between (a key or value may span a line break). Free text joins with a
 * space, except after a full 65-character line, which is the bank's hard wrap mid-text.
 */

export type Narrative = {
  narrative: string;
  details: Record<string, string> | undefined;
  endToEndId: string | undefined;
};

export const narrativeLineCharsMax = 65;

const germanStart = /^(?:(\d{3}))?\?\d{2}/;
const germanField = /\?(\d{2})([^?]*)/g;
const remittanceKeys = /(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|IBAN|BIC)\+/g;
// Longest first, so CDTRREFTP is not read as CDTRREF.
const slashKeyNames =
  'CDTRREFTP|CDTRREF|EREF|KREF|MREF|CRED|DEBT|REMI|NAME|IBAN|BIC|TRTP|CSID|MARF|PREF|RTRN|ORDP|BENM|ULTC|ULTD|ULTB|PURP|ISDT|CNTP|ADDR|ACCW|EXCH|CHGS|BUSP|SVCL|OCMT';
const slashStart = new RegExp(`^/(?:${slashKeyNames})/`);
const slashKey = new RegExp(`/(${slashKeyNames})/`, 'g');

function isRemittanceField(key: string): boolean {
  return (key >= '20' && key <= '29') || (key >= '60' && key <= '63');
}

function put(details: Record<string, string>, key: string, value: string): void {
  const previous = details[key];
  details[key] = previous === undefined ? value : `${previous}${value}`;
}

/** Splits `EREF+abcSVWZ+Invoice 12` into its keys; text before the first key is left alone. */
function splitKeyed(text: string, keys: RegExp, details: Record<string, string>): void {
  const found = [...text.matchAll(keys)];
  found.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = found[index + 1]?.index ?? text.length;
    details[match[1] ?? ''] = text.slice(start, end).trim();
  });
}

function germanDetails(raw: string, code: string | undefined): Record<string, string> {
  const details: Record<string, string> = {};
  if (code !== undefined) details.GVC = code;
  let remittance = '';
  for (const match of raw.matchAll(germanField)) {
    const key = match[1] ?? '';
    const value = match[2] ?? '';
    put(details, `?${key}`, value);
    if (isRemittanceField(key)) remittance += value;
  }
  for (const key of Object.keys(details)) details[key] = details[key]?.trim() ?? '';
  splitKeyed(remittance, remittanceKeys, details);
  return details;
}

function slashDetails(raw: string): Record<string, string> {
  const details: Record<string, string> = {};
  const found = [...raw.matchAll(slashKey)];
  found.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = found[index + 1]?.index ?? raw.length;
    let value = raw.slice(start, end);
    // '/EREF/123//REMI/…': the second slash closes the value.
    if (value.endsWith('/')) value = value.slice(0, -1);
    if (details[match[1] ?? ''] === undefined) details[match[1] ?? ''] = value.trim();
  });
  return details;
}

function freeText(lines: readonly string[]): string {
  let text = '';
  lines.forEach((line, index) => {
    const previous = lines[index - 1];
    const hardWrapped = previous === undefined || previous.length >= narrativeLineCharsMax;
    text = hardWrapped ? text + line : `${text.trimEnd()} ${line}`;
  });
  return text.trim();
}

/** Reads the lines of one :86: tag (the first is the text after ':86:'). */
export function readNarrative(lines: readonly string[]): Narrative {
  const raw = lines.join('');
  const german = germanStart.exec(raw);
  let details: Record<string, string> | undefined;
  if (german !== null) details = germanDetails(raw, german[1]);
  else if (slashStart.test(raw)) details = slashDetails(raw);
  if (details === undefined) {
    return { narrative: freeText(lines), details: undefined, endToEndId: undefined };
  }
  const endToEndId = details.EREF;
  const known = endToEndId !== undefined && endToEndId !== '' && endToEndId !== 'NOTPROVIDED';
  return { narrative: raw.trim(), details, endToEndId: known ? endToEndId : undefined };
}
