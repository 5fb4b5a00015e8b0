import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML plumbing for CAMT.052/053/054: parse once with the settings money needs, then walk the tree
 * with small helpers that tolerate the shapes fast-xml-parser produces (one element or many,
 * text or text with attributes).
 */

export type XmlElement = Record<string, unknown>;

// Elements that may repeat are always arrays, so one entry and many read the same way.
const repeatable = new Set([
  'Stmt',
  'Rpt',
  'Ntfctn',
  'Bal',
  'Ntry',
  'NtryDtls',
  'TxDtls',
  'Ustrd',
  'Strd',
  'RfrdDocInf',
  'AddtlRmtInf',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Banks use a default namespace or a prefix (camt:Ntry); the local names are what matter.
  removeNSPrefix: true,
  // Amounts must stay text: '0.10' read as a number would already be floating point.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: false,
  // Each element's start offset, so errors can name the line of its <Ntry> or <Bal>.
  captureMetaData: true,
  isArray: (tagName) => repeatable.has(tagName),
});

const metaData = XMLParser.getMetaDataSymbol();

export type XmlProblem = { lineNo: number; message: string };

/** Parses well-formed XML; a DOCTYPE is refused, since statements never need one and entity
 * definitions are the usual way to make a parser expand a small file into a huge one. */
export function parseXml(
  xml: string,
  lineOf: (charIndex: number) => number,
): { document: unknown } | XmlProblem {
  const doctypeIndex = xml.search(/<!DOCTYPE/i);
  if (doctypeIndex >= 0) {
    return { lineNo: lineOf(doctypeIndex), message: 'A DOCTYPE is not accepted in a statement' };
  }
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { code, line, col, msg } = validation.err;
    // The validator reports elements left open at the end as "Invalid '[...]' found" on line 1.
    const unclosed = openElementsAt(xml, xml.length);
    if (code === 'InvalidXml' && msg.startsWith("Invalid '[") && unclosed.length > 0) {
      const lineNo = lineOf(Math.max(xml.length - 1, 0));
      const message = `The XML ends before ${unclosed.join('/')} is closed: the file is cut short`;
      return { lineNo, message };
    }
    const open = openElementsAt(xml, charIndexAt(xml, line, col));
    const where = open.length > 0 ? ` (at ${open.join('/')})` : '';
    return { lineNo: line, message: `The XML is not well formed: ${msg}${where}` };
  }
  const document: unknown = parser.parse(xml);
  return { document };
}

/** The offset of a 1-based line and column, as the validator reports them. */
function charIndexAt(xml: string, line: number, column: number): number {
  let index = 0;
  for (let lineNo = 1; lineNo < line; lineNo++) {
    const next = xml.indexOf('\n', index);
    if (next < 0) break;
    index = next + 1;
  }
  return Math.min(index + Math.max(column - 1, 0), xml.length);
}

// Tags, comments, processing instructions and CDATA, in the order they appear.
const markup =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;

/**
 * The local names of the elements still open at `end`, outermost first: where in the document
 * a fault sits, and what a cut-short file left unclosed. A rough scan (it trusts the tags),
 * used only to describe a file that is already known to be broken or to check that it ends.
 */
export function openElementsAt(xml: string, end: number): string[] {
  const open: string[] = [];
  markup.lastIndex = 0;
  for (let match = markup.exec(xml); match !== null; match = markup.exec(xml)) {
    if (match.index >= end) break;
    const [, closing, name, selfClosing] = match;
    if (name === undefined || selfClosing === '/') continue;
    const localName = name.slice(name.indexOf(':') + 1);
    if (closing === '/') {
      if (open.at(-1) === localName) open.pop();
    } else if (match.index + match[0].length <= end) open.push(localName);
  }
  return open;
}

/**
 * The ISO 20022 namespace of the Document element (default or prefixed), if it declares one.
 * The parser drops namespace declarations, so the start tag is read from the text.
 */
export function documentNamespace(xml: string): string | undefined {
  const start = /<(?:[\w.-]+:)?Document\b([^>]*)>/.exec(xml);
  if (start === null) return undefined;
  const declarations = (start[1] ?? '').matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/g);
  for (const [, uri] of declarations) {
    if (uri?.startsWith('urn:iso:std:iso:20022:tech:xsd:')) return uri;
  }
  return undefined;
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The children called `name`, as an array (empty when there are none). */
export function elementsOf(node: unknown, name: string): XmlElement[] {
  if (!isElement(node)) return [];
  const value = node[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter(isElement);
}

/** Follows a path of child names, taking the first of any repeated element. */
export function childAt(node: unknown, ...names: string[]): unknown {
  let current: unknown = node;
  for (const name of names) {
    if (!isElement(current)) return undefined;
    const value: unknown = current[name];
    current = Array.isArray(value) ? value[0] : value;
  }
  return current;
}

/** The text of a leaf, with or without attributes; undefined when absent or not text. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (isElement(node) && typeof node['#text'] === 'string') return node['#text'];
  return undefined;
}

/** Every text value of a repeated leaf, e.g. all Ustrd lines. */
export function textsOf(node: unknown, name: string): string[] {
  if (!isElement(node)) return [];
  const value = node[name];
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.map(textOf).filter((text): text is string => text !== undefined && text !== '');
}

export function attributeOf(node: unknown, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** Where the element starts in the XML text, when the parser recorded it. */
export function startIndexOf(node: XmlElement): number | undefined {
  const meta = (node as Record<symbol, unknown>)[metaData as symbol];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const { startIndex } = meta as { startIndex?: unknown };
  return typeof startIndex === 'number' ? startIndex : undefined;
}

/** Maps character offsets to 1-based line numbers by binary search over line starts. */
export function lineFinder(lineStarts: readonly number[]): (charIndex: number) => number {
  return (charIndex) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= charIndex) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
