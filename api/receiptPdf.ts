import type { ReceiptRow } from '../domain/receipt';

/**
 * A receipt as a one-page PDF (A4, Helvetica), written by hand: neither pdf-lib nor pdfkit is
 * installed, and a receipt needs nothing but lines of text. The standard 14 fonts need no
 * embedding; text is WinAnsi (Latin-1 here), so "£" is byte 0xA3 and anything outside Latin-1
 * becomes "?". Byte offsets in the cross-reference table are counted on the Latin-1 bytes.
 */
export function receiptPdf(rows: readonly ReceiptRow[], title: string): Buffer {
  const lineHeight = 16;
  let y = 800;
  const ops: string[] = [];
  for (const row of rows) {
    const font = row.bold ? '/F2' : '/F1';
    if (row.text !== '') ops.push(`BT ${font} 11 Tf 56 ${y} Td (${escapeText(row.text)}) Tj ET`);
    if (row.amount !== undefined)
      ops.push(`BT ${font} 11 Tf 440 ${y} Td (${escapeText(row.amount)}) Tj ET`);
    y -= lineHeight;
    if (y < 40) break;
  }
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    `<< /Title (${escapeText(title)}) /Producer (IMS) >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function escapeText(text: string): string {
  return text
    .replace(/[^\u0020-\u00ff]/g, '?')
    .replaceAll('\\', '\\\\')
    .replaceAll('(', '\\(')
    .replaceAll(')', '\\)');
}
