import { childAt, elementsOf, type XmlElement } from './camtXml';

/**
 * The three ISO 20022 bank-to-customer cash management messages and how to tell them apart.
 * They share one entry and balance structure (camt.052 account report, camt.053 statement,
 * camt.054 debit/credit notification); only the root, the repeated element and whether
 * balances must be present differ. Every published version (.001.02 to .001.13) is read by
 * the same code: the elements read here did not change meaning between versions, and where
 * their shape changed (Sts text → Sts/Cd in .001.07, TxDtls/Amt added beside AmtDtls in
 * .001.03) both shapes are read.
 */

export type CamtMessageKind = {
  message: '052' | '053' | '054';
  root: string;
  item: string;
  /** A statement must carry opening and closing balances; a report or notification may not. */
  balancesRequired: boolean;
};

export const camtMessageKinds: readonly CamtMessageKind[] = [
  { message: '052', root: 'BkToCstmrAcctRpt', item: 'Rpt', balancesRequired: false },
  { message: '053', root: 'BkToCstmrStmt', item: 'Stmt', balancesRequired: true },
  { message: '054', root: 'BkToCstmrDbtCdtNtfctn', item: 'Ntfctn', balancesRequired: false },
];

export const camtVersionMin = 2;
export const camtVersionMax = 13;

const isoNamespace = /^urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.(\d{2})$/;

export type CamtMessage = { kind: CamtMessageKind; items: XmlElement[] };

function namespaceProblem(namespace: string): string | undefined {
  const match = isoNamespace.exec(namespace);
  const version = Number(match?.[2]);
  const known = camtMessageKinds.some((kind) => kind.message === match?.[1]);
  if (known && version >= camtVersionMin && version <= camtVersionMax) return undefined;
  return `The namespace ${namespace} is not camt.052, camt.053 or camt.054 of version .001.02 to .001.13`;
}

/**
 * Which message the document is and its statements, reports or notifications. A document
 * without an ISO 20022 namespace is read by its root element alone (some banks omit it); one
 * with a namespace must name a version we read and the same message as its root.
 */
export function camtMessageOf(
  document: unknown,
  namespace: string | undefined,
): CamtMessage | { message: string } {
  const problem = namespace === undefined ? undefined : namespaceProblem(namespace);
  if (problem !== undefined) return { message: problem };
  const kind = camtMessageKinds.find((k) => childAt(document, 'Document', k.root) !== undefined);
  if (kind === undefined) {
    return {
      message:
        'No Document/BkToCstmrStmt/Stmt, Document/BkToCstmrAcctRpt/Rpt or Document/BkToCstmrDbtCdtNtfctn/Ntfctn: this is not a CAMT.052, .053 or .054 file',
    };
  }
  const declared = namespace === undefined ? undefined : isoNamespace.exec(namespace)?.[1];
  if (declared !== undefined && declared !== kind.message) {
    return {
      message: `The namespace ${namespace} is camt.${declared}, but the document holds ${kind.root} (camt.${kind.message})`,
    };
  }
  const items = elementsOf(childAt(document, 'Document', kind.root), kind.item);
  if (items.length === 0) return { message: `Document/${kind.root} holds no ${kind.item}` };
  return { kind, items };
}
