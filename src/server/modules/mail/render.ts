import { createTranslator, DEFAULT_LANGUAGE, type Language } from '../../../shared/i18n/index.js';

/**
 * Mail bodies in plain text and HTML. Every value is escaped for HTML; links are
 * passed in already built from PUBLIC_URL (never from request headers).
 */
export interface MailContent {
  subject: string;
  /** Paragraphs of plain text; values already interpolated. */
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
  /** The recipient's language: the frame's own words ("Or copy this link") follow it (ADR 0050). */
  language?: Language;
}

export interface RenderedMail { subject: string; text: string; html: string }

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Removes line breaks from a header value (a subject cannot smuggle headers). */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

export function renderMail(content: MailContent): RenderedMail {
  const text = [
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...(content.footer ? [`--\n${content.footer}`] : []),
  ].join('\n\n') + '\n';
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:560px">',
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    content.action
      ? `<p><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>` +
        `<p style="font-size:13px;color:#555">${escapeHtml(createTranslator(content.language ?? DEFAULT_LANGUAGE)('mail.orCopy'))} ${escapeHtml(content.action.url)}</p>`
      : '',
    content.footer ? `<p style="font-size:13px;color:#555">${escapeHtml(content.footer)}</p>` : '',
    '</body></html>',
  ].join('');
  return { subject: oneLine(content.subject), text, html };
}
