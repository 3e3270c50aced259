import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../shared/errors.js';

/**
 * One rule for every string that comes in (issue 9, docs/decisions/0017-input-text-rule.md):
 * path and query parameters, JSON object keys and values, at any depth, before any schema
 * or use-case sees them.
 * - Ill-formed Unicode (a lone surrogate, or bytes that are not UTF-8) is refused.
 * - NUL and the other C0 control characters, and DEL, are refused; free text (the fields in
 *   MULTILINE below) may hold tab, line feed and carriage return.
 */

/** Body paths whose value is free text: messages, notes, environment values, pasted keys, passwords. */
const MULTILINE: RegExp[] = [
  /^message$/, /^notes$/, /^publicKey$/, /^vars\.[^.]+$/, /^(password|newPassword|currentPassword)$/,
];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const MAX_ERRORS = 20;
/** Fastify's maxParamLength (http/app.ts). */
const MAX_SEGMENT = 2000;
const MAX_DEPTH = 32;

export function textProblem(value: string, multiline: boolean): string | null {
  if (LONE_SURROGATE.test(value)) return 'Contains an invalid character (ill-formed Unicode).';
  if ((multiline ? CONTROL_EXCEPT_WHITESPACE : CONTROL).test(value)) {
    return multiline ? 'Contains a control character (only tab and line breaks are allowed).' : 'Contains a control character.';
  }
  return null;
}

function walk(value: unknown, path: string, errors: FieldError[], depth: number, multilineOk: boolean): void {
  if (errors.length >= MAX_ERRORS) return;
  if (typeof value === 'string') {
    const problem = textProblem(value, multilineOk && MULTILINE.some((re) => re.test(path)));
    if (problem) errors.push({ path: path || '(body)', message: problem });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) {
    errors.push({ path: path || '(body)', message: 'Nested too deeply.' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, path ? `${path}.${i}` : String(i), errors, depth + 1, multilineOk));
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const keyProblem = textProblem(key, false);
    const at = path ? `${path}.${key}` : key;
    if (keyProblem) {
      errors.push({ path: path || '(body)', message: `A field name: ${keyProblem.toLowerCase()}` });
      continue;
    }
    walk(item, at, errors, depth + 1, multilineOk);
  }
}

/** A query string whose percent-escapes are not UTF-8 would reach us as U+FFFD: refused instead. */
function rawQueryErrors(url: string): FieldError[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  for (const part of url.slice(q + 1).split(/[&=]/)) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return [{ path: '(query)', message: 'Contains an invalid percent-escape or ill-formed Unicode.' }];
    }
  }
  return [];
}

/** The field errors of a request's parameters, query and body under this rule. */
export function inputErrors(request: Pick<FastifyRequest, 'params' | 'query' | 'body' | 'url'>): FieldError[] {
  const errors: FieldError[] = rawQueryErrors(request.url);
  walk(request.params, '', errors, 0, false);
  walk(request.query, '', errors, 0, false);
  walk(request.body, '', errors, 0, true);
  return errors;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function installInputRule(app: FastifyInstance) {
  // JSON bodies: the bytes must be UTF-8 (not silently turned into U+FFFD), then Fastify's
  // own parser (with its prototype-poisoning protection) reads them.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decoder.decode(body as Buffer);
    } catch {
      done(new AppError('validation_failed', 'The request body is not valid UTF-8 text.', [{ path: '(body)', message: 'Not valid UTF-8.' }]), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  // A path segment over the router's limit may fall through to another route (the web
  // app's files, the 404 handler) instead of Fastify's max-param-length error: refused here
  // the same way, whatever route would have caught it.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const path = request.url.split('?')[0];
    if (path.split('/').some((segment) => segment.length > MAX_SEGMENT)) {
      throw new AppError('validation_failed', 'A part of this address is too long.', [{ path: '(path)', message: 'Too long.' }]);
    }
  });

  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const errors = inputErrors(request);
    if (errors.length) {
      throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
    }
  });
}
