import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMail } from '../../../src/server/modules/mail/render.js';

/** How every mail is put together (issue 10: the render module under mutation testing). */
describe('mail rendering', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });

  it('writes the plain text as paragraphs, the action as label and link, the footer after a signature line', () => {
    const mail = renderMail({
      subject: 'Hello', paragraphs: ['First line\nsecond line', 'Second paragraph'],
      action: { label: 'Open it', url: 'https://dash.test/x?a=1&b=2' }, footer: 'Sent by the Dashboard',
    });
    expect(mail.text).toBe('First line\nsecond line\n\nSecond paragraph\n\nOpen it:\nhttps://dash.test/x?a=1&b=2\n\n--\nSent by the Dashboard\n');
  });

  it('writes plain text without action or footer as the paragraphs only', () => {
    expect(renderMail({ subject: 's', paragraphs: ['Only this'] }).text).toBe('Only this\n');
  });

  it('writes the HTML with escaped paragraphs, a button and a copyable link, and the footer', () => {
    const { html } = renderMail({
      subject: 'Hello', paragraphs: ['<b>Bold?</b>\nnext'],
      action: { label: 'Open "it"', url: 'https://dash.test/x?a=1&b=2' }, footer: 'Footer & co',
    });
    expect(html).toBe(
      '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:560px">'
      + '<p>&lt;b&gt;Bold?&lt;/b&gt;<br>next</p>'
      + '<p><a href="https://dash.test/x?a=1&amp;b=2" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">Open &quot;it&quot;</a></p>'
      + '<p style="font-size:13px;color:#555">Or copy this link: https://dash.test/x?a=1&amp;b=2</p>'
      + '<p style="font-size:13px;color:#555">Footer &amp; co</p>'
      + '</body></html>',
    );
  });

  it('writes no button and no footer paragraph when there are none', () => {
    const { html } = renderMail({ subject: 's', paragraphs: ['Just text'] });
    expect(html).toBe('<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:560px"><p>Just text</p></body></html>');
  });

  it('keeps the subject on one line, so it cannot add headers', () => {
    expect(renderMail({ subject: ' Invoice\r\nBcc: victim@example.com\n\nmore ', paragraphs: [] }).subject).toBe('Invoice Bcc: victim@example.com more');
  });
});
