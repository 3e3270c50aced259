import PDFDocument from 'pdfkit';
import type { PrintedInvoice } from './invoiceDocument.js';

/**
 * The invoice as a real PDF (pdfkit 0.20.2, docs/decisions/0038-invoice-pdf.md). The standard
 * Helvetica fonts use WinAnsi encoding, which has €, ä, ö, ü, ß, – and ·; the text stays
 * extractable. The creation date is the issue time, so the same invoice gives the same bytes.
 */
const A4 = { width: 595.28, height: 841.89 };
const M = 56;
const W = A4.width - 2 * M;
const INK = '#1f2933';
const MUTED = '#5f6b7a';
const ACCENT = '#1d4ed8';
const RULE = '#d5dbe3';
const COLS = [{ x: 0, w: 215 }, { x: 215, w: 128 }, { x: 343, w: 75 }, { x: 418, w: W - 418 }];

/** `compress: false` writes the page streams as plain text (the layout's golden test compares them). */
export function renderInvoicePdf(doc: PrintedInvoice, createdAt: Date, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const pdf = new PDFDocument({
    compress: opts.compress ?? true,
    size: 'A4', lang: doc.language === 'de' ? 'de-DE' : 'en', margins: { top: M, bottom: M, left: M, right: M }, bufferPages: true,
    info: { Title: `${doc.title} ${doc.number}`, Author: doc.seller.name, Subject: `${doc.title} ${doc.number}`, Creator: 'Dashboard', Producer: 'Dashboard', CreationDate: createdAt, ModDate: createdAt },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { pdf.on('end', () => resolve(Buffer.concat(chunks))); pdf.on('error', reject); });

  // Header: seller left, title right.
  pdf.fillColor(INK).font('Helvetica-Bold').fontSize(15).text(doc.seller.name, M, M, { width: W * 0.6 });
  pdf.font('Helvetica').fontSize(9).fillColor(MUTED);
  for (const l of doc.seller.lines) pdf.text(l, { width: W * 0.6 });
  pdf.font('Helvetica-Bold').fontSize(24).fillColor(ACCENT).text(doc.title.toUpperCase(), M + W * 0.5, M - 2, { width: W * 0.5, align: 'right' });

  // Buyer left, facts right.
  let y = 170;
  pdf.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text(doc.labels.billTo.toUpperCase(), M, y, { characterSpacing: 0.8 });
  pdf.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(doc.buyer.name, M, y + 14, { width: W * 0.5 });
  pdf.font('Helvetica').fontSize(10);
  for (const l of doc.buyer.lines) pdf.text(l, { width: W * 0.5 });
  const buyerBottom = pdf.y;
  let fy = y;
  // The facts' labels get the width the longest one needs ("Stornorechnungsnummer"), the values the rest.
  pdf.font('Helvetica').fontSize(9);
  const labelWidth = Math.min(W * 0.3, Math.max(100, ...doc.facts.map(([label]) => pdf.widthOfString(label) + 8)));
  for (const [label, value] of doc.facts) {
    pdf.font('Helvetica').fontSize(9).fillColor(MUTED).text(label, M + W * 0.5, fy, { width: labelWidth });
    const labelBottom = pdf.y;
    pdf.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(value, M + W * 0.5 + labelWidth, fy, { width: W * 0.5 - labelWidth, align: 'right' });
    fy = Math.max(labelBottom, pdf.y) + 5;
  }
  y = Math.max(buyerBottom, fy) + 30;

  // Lines.
  const header = () => {
    pdf.rect(M, y, W, 22).fill('#eef2f7');
    pdf.font('Helvetica-Bold').fontSize(8.5).fillColor(INK);
    doc.labels.columns.forEach((h, i) => pdf.text(h, M + COLS[i].x + 6, y + 7, { width: COLS[i].w - 12, align: i >= 2 ? 'right' : 'left' }));
    y += 22;
  };
  header();
  for (const line of doc.lines) {
    pdf.font('Helvetica').fontSize(8.5);
    const descHeight = pdf.heightOfString(line.description, { width: COLS[0].w - 12 });
    const periodHeight = pdf.heightOfString(line.period, { width: COLS[1].w - 12 });
    const rowHeight = Math.max(14 + descHeight, periodHeight) + 14;
    if (y + rowHeight > A4.height - M - 40) { pdf.addPage(); y = M; header(); }
    pdf.font('Helvetica-Bold').fontSize(9.5).fillColor(INK).text(line.app, M + 6, y + 7, { width: COLS[0].w - 12 });
    pdf.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(line.description, M + 6, y + 20, { width: COLS[0].w - 12 });
    pdf.fillColor(INK).fontSize(9).text(line.period, M + COLS[1].x + 6, y + 7, { width: COLS[1].w - 12 });
    pdf.text(line.unitPrice, M + COLS[2].x + 6, y + 7, { width: COLS[2].w - 12, align: 'right' });
    pdf.font('Helvetica-Bold').text(line.amount, M + COLS[3].x + 6, y + 7, { width: COLS[3].w - 12, align: 'right' });
    y += rowHeight;
    pdf.moveTo(M, y).lineTo(M + W, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  // Totals.
  y += 12;
  if (y + doc.totals.length * 18 + 20 > A4.height - M - 40) { pdf.addPage(); y = M; }
  // Labels such as "MwSt. 0 % (Steuerschuldnerschaft des Leistungsempfängers)" wrap in their column; the row grows with them.
  const tx = M + W * 0.4;
  const labelW = W * 0.42;
  const valueW = W * 0.18 - 6;
  for (const t of doc.totals) {
    if (t.strong) {
      pdf.moveTo(tx, y).lineTo(M + W, y).lineWidth(1).strokeColor(INK).stroke();
      y += 6;
    }
    pdf.font(t.strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(t.strong ? 11.5 : 9.5).fillColor(INK);
    const height = pdf.heightOfString(t.label, { width: labelW });
    pdf.text(t.label, tx + 6, y, { width: labelW });
    pdf.text(t.value, tx + 6 + labelW, y, { width: valueW, align: 'right' });
    y += Math.max(t.strong ? 20 : 16, height + 5);
  }

  // Notes.
  y += 16;
  pdf.font('Helvetica').fontSize(9).fillColor(INK);
  for (const note of doc.notes) {
    if (y + pdf.heightOfString(note, { width: W }) > A4.height - M - 40) { pdf.addPage(); y = M; }
    pdf.text(note, M, y, { width: W });
    y = pdf.y + 6;
  }

  // Footer on every page.
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const footerY = A4.height - M + 6;
    pdf.moveTo(M, footerY - 8).lineTo(M + W, footerY - 8).lineWidth(0.5).strokeColor(RULE).stroke();
    pdf.font('Helvetica').fontSize(7.5).fillColor(MUTED)
      .text(doc.footer, M, footerY, { width: W - 70, lineBreak: false, height: 12 })
      .text(doc.page(i - range.start + 1, range.count), M + W - 70, footerY, { width: 70, align: 'right', lineBreak: false, height: 12 });
  }
  pdf.end();
  return done;
}
