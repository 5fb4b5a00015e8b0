/**
 * An account holder entered on screen: a structured name (a person's title, forenames and
 * surname, or an organisation) and address (two lines, town, postcode). The ledger and the CSV
 * loads know only one name and one address field, so both are also kept in display form.
 */
export type HolderName = {
  title: string | null;
  forenames: string | null;
  surname: string | null;
  organisation: string | null;
};

export type HolderAddress = {
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
};

const joined = (parts: readonly (string | null)[], separator: string) =>
  parts.filter((part): part is string => part !== null && part.trim() !== '').join(separator);

/** "Mrs Ann Smith", or the organisation, or both: "Ann Smith, Smith & Co". */
export function displayName(name: HolderName): string {
  return joined([joined([name.title, name.forenames, name.surname], ' '), name.organisation], ', ');
}

export function displayAddress(address: HolderAddress): string {
  return joined([address.addressLine1, address.addressLine2, address.town, address.postcode], ', ');
}

// The Royal Mail's shape (outward code, space, inward code), GIR 0AA aside.
const ukPostcode = /^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$/;

/** `s702ta` → `S70 2TA`; null when the text is not a UK postcode. */
export function normalisePostcode(text: string): string | null {
  const match = ukPostcode.exec(text.trim().toUpperCase().replace(/\s+/g, ' '));
  return match === null ? null : `${match[1]} ${match[2]}`;
}

/** The search key of a postcode, as the database's generated `postcode_key` column has it. */
export function postcodeKey(text: string): string {
  return text.toUpperCase().replace(/\s+/g, '');
}
