import type { PrintedInvoice } from './invoiceDocument.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The invoice as a standalone, printable HTML page (no scripts, no outside resources). */
export function renderInvoiceHtml(doc: PrintedInvoice): string {
  const rows = doc.lines.map((l) => `<tr><td><strong>${esc(l.app)}</strong><br><span class="muted">${esc(l.description)}</span></td><td>${esc(l.period)}</td><td class="num">${esc(l.unitPrice)}</td><td class="num"><strong>${esc(l.amount)}</strong></td></tr>`).join('');
  const totals = doc.totals.map((t) => `<tr${t.strong ? ' class="total"' : ''}><th scope="row">${esc(t.label)}</th><td class="num">${esc(t.value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${doc.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title)} ${esc(doc.number)}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933;margin:0;background:#f4f6f9}
main{max-width:820px;margin:24px auto;background:#fff;padding:40px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
header{display:flex;justify-content:space-between;gap:24px;flex-wrap:wrap}
h1{color:#1d4ed8;letter-spacing:.04em;text-transform:uppercase;margin:0;font-size:28px}
.muted{color:#5f6b7a;font-size:13px}.seller strong{font-size:18px}
.parties{display:flex;justify-content:space-between;gap:24px;flex-wrap:wrap;margin:32px 0}
.label{font-size:11px;font-weight:700;letter-spacing:.08em;color:#5f6b7a;text-transform:uppercase}
dl{display:grid;grid-template-columns:auto auto;gap:4px 16px;margin:0}dt{color:#5f6b7a}dd{margin:0;font-weight:600;text-align:right}
table{width:100%;border-collapse:collapse}.lines th{background:#eef2f7;text-align:left;font-size:13px;padding:8px}
.lines td{padding:10px 8px;border-bottom:1px solid #d5dbe3;vertical-align:top}.num{text-align:right;white-space:nowrap}
.totals{width:auto;margin:16px 0 0 auto}.totals th{text-align:left;font-weight:400;padding:4px 24px 4px 0}.totals td{padding:4px 0}
.totals .total th,.totals .total td{font-weight:700;font-size:17px;border-top:2px solid #1f2933;padding-top:8px}
footer{margin-top:40px;border-top:1px solid #d5dbe3;padding-top:8px}
@media print{body{background:#fff}main{box-shadow:none;margin:0;padding:0}}
@media (max-width:600px){main{padding:20px}.lines th:nth-child(3),.lines td:nth-child(3){display:none}}
</style></head>
<body><main>
<header><div class="seller"><strong>${esc(doc.seller.name)}</strong><br><span class="muted">${doc.seller.lines.map(esc).join('<br>')}</span></div><h1>${esc(doc.title)}</h1></header>
<div class="parties"><div><div class="label">${esc(doc.labels.billTo)}</div><strong>${esc(doc.buyer.name)}</strong><br>${doc.buyer.lines.map(esc).join('<br>')}</div>
<dl>${doc.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></div>
<table class="lines"><thead><tr>${doc.labels.columns.map((h, i) => `<th scope="col"${i >= 2 ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<table class="totals"><tbody>${totals}</tbody></table>
${doc.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
<footer class="muted">${esc(doc.footer)}</footer>
</main></body></html>`;
}
