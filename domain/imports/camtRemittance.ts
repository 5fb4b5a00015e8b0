import { childAt, elementsOf, textOf, textsOf, type XmlElement } from './camtXml';

/**
 * What an entry's transaction details say about the payment: remittance information,
 * references and the payer. A row takes:
 * - reference: the first Strd/CdtrRefInf/Ref, else the first Ustrd, else EndToEndId, else '';
 * - narrative: every Ustrd, joined with spaces, else AddtlTxInf, else AddtlNtryInf;
 * - bankReference: AcctSvcrRef (for a split transaction its own first, then the entry's;
 *   otherwise the entry's first), else EndToEndId;
 * - details: everything else worth keeping, by ISO name (see `ImportRow.details`).
 * NOTPROVIDED, which banks write where a reference is mandatory but missing, counts as absent.
 */

export type Remittance = {
  reference: string;
  narrative: string;
  bankReference?: string;
  endToEndId?: string;
  details?: Record<string, string>;
};

function usable(text: string | undefined): string | undefined {
  return text === undefined || text === '' || text === 'NOTPROVIDED' ? undefined : text;
}

function defined(text: string | undefined): text is string {
  return text !== undefined;
}

/** Refs children copied into details when present: ids a payer or bank may quote back. */
const referenceNames = ['InstrId', 'PmtInfId', 'TxId', 'MndtId', 'ChqNb', 'UETR'] as const;

function structured(remittances: unknown[]) {
  const strds = remittances.flatMap((remittance) => elementsOf(remittance, 'Strd'));
  const creditorRefs = strds
    .map((strd) => usable(textOf(childAt(strd, 'CdtrRefInf', 'Ref'))))
    .filter(defined);
  const creditorRefType = strds
    .map(
      (strd) =>
        textOf(childAt(strd, 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Cd')) ??
        textOf(childAt(strd, 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Prtry')),
    )
    .find(defined);
  const documentNumbers = strds
    .flatMap((strd) => elementsOf(strd, 'RfrdDocInf'))
    .map((document) => usable(textOf(childAt(document, 'Nb'))))
    .filter(defined);
  const additional = strds.flatMap((strd) => textsOf(strd, 'AddtlRmtInf'));
  return { creditorRefs, creditorRefType, documentNumbers, additional };
}

function partyName(transaction: unknown, role: string): string | undefined {
  // Up to .001.07 the party is RltdPties/Dbtr/Nm; from .001.08 it is RltdPties/Dbtr/Pty/Nm.
  return (
    textOf(childAt(transaction, 'RltdPties', role, 'Nm')) ??
    textOf(childAt(transaction, 'RltdPties', role, 'Pty', 'Nm'))
  );
}

function detailsOf(entry: XmlElement, transactions: XmlElement[], unstructured: string[]) {
  const first = transactions[0];
  const strd = structured(transactions.map((transaction) => childAt(transaction, 'RmtInf')));
  const candidates: Record<string, string | undefined> = {
    Ustrd: unstructured.length > 0 ? unstructured.join(' ') : undefined,
    CdtrRef: strd.creditorRefs.length > 0 ? strd.creditorRefs.join(' ') : undefined,
    CdtrRefTp: strd.creditorRefType,
    RfrdDocNb: strd.documentNumbers.length > 0 ? strd.documentNumbers.join(' ') : undefined,
    AddtlRmtInf: strd.additional.length > 0 ? strd.additional.join(' ') : undefined,
    Prtry: usable(textOf(childAt(first, 'Refs', 'Prtry', 'Ref'))),
    DbtrNm: partyName(first, 'Dbtr'),
    UltmtDbtrNm: partyName(first, 'UltmtDbtr'),
    AddtlTxInf: textOf(childAt(first, 'AddtlTxInf')),
    AddtlNtryInf: textOf(childAt(entry, 'AddtlNtryInf')),
  };
  for (const name of referenceNames) {
    candidates[name] = usable(textOf(childAt(first, 'Refs', name)));
  }
  const details: Record<string, string> = {};
  for (const [name, value] of Object.entries(candidates)) {
    if (value !== undefined && value !== '') details[name] = value;
  }
  return { details, creditorRef: strd.creditorRefs[0] };
}

/**
 * The remittance of an entry (all its transaction details together) or, when a batch is split,
 * of one transaction (`transactions` holds just that one and `split` is true).
 */
export function remittanceOf(
  entry: XmlElement,
  transactions: XmlElement[],
  split: boolean,
): Remittance {
  const first = transactions[0];
  const unstructured = transactions.flatMap((transaction) =>
    textsOf(childAt(transaction, 'RmtInf'), 'Ustrd'),
  );
  const { details, creditorRef } = detailsOf(entry, transactions, unstructured);
  const endToEndId = usable(textOf(childAt(first, 'Refs', 'EndToEndId')));
  const entryRef = usable(textOf(childAt(entry, 'AcctSvcrRef')));
  const transactionRef = usable(textOf(childAt(first, 'Refs', 'AcctSvcrRef')));
  const servicerRef = split ? (transactionRef ?? entryRef) : (entryRef ?? transactionRef);
  const remittance: Remittance = {
    reference: creditorRef ?? unstructured[0] ?? endToEndId ?? '',
    narrative:
      unstructured.length > 0
        ? unstructured.join(' ')
        : (details.AddtlTxInf ?? details.AddtlNtryInf ?? ''),
  };
  const bankReference = servicerRef ?? endToEndId;
  if (bankReference !== undefined) remittance.bankReference = bankReference;
  if (endToEndId !== undefined) remittance.endToEndId = endToEndId;
  if (Object.keys(details).length > 0) remittance.details = details;
  return remittance;
}
