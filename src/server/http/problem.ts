import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, STATUS_BY_CODE, TITLE_BY_CODE, type ErrorCode, type FieldError } from '../shared/errors.js';
import { isRetryable } from '../shared/transaction.js';

/** RFC 9457 problem details with our stable `code` (API.md, Conventions). */
export function sendProblem(reply: FastifyReply, code: ErrorCode, detail: string, errors?: FieldError[], extra?: Record<string, string>) {
  const status = STATUS_BY_CODE[code];
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `about:blank#${code}`, title: TITLE_BY_CODE[code], status, code, detail, ...(errors?.length ? { errors } : {}), ...extra });
}

/**
 * A stable reason for the common schema refusals, so the web can word them in the page's
 * language (ADR 0090): an empty required text, a text over its limit, a malformed e-mail.
 */
function fieldReason(keyword: string | undefined, params: unknown): string | undefined {
  const p = (params ?? {}) as { origin?: string; minimum?: number | bigint; format?: string };
  if (keyword === 'too_small' && p.origin === 'string' && Number(p.minimum) <= 1) return 'required';
  if (keyword === 'too_big' && p.origin === 'string') return 'too_long';
  if (keyword === 'invalid_format' && p.format === 'email') return 'email_invalid';
  return undefined;
}

function fieldMessage(message: string, code?: string): string {
  if (code === 'unrecognized_keys') return message.replace(/^Unrecognized key/, 'Unknown field');
  return message;
}

/**
 * Errors Fastify answers before any route or hook runs (a bad percent-escape, a path
 * parameter over maxParamLength): the problem format too, never Fastify's own JSON.
 * Passed as Fastify's `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, 'validation_failed', 'A part of this address is too long.', [{ path: '(path)', message: 'Too long.' }]);
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(reply, 'validation_failed', 'This address contains an invalid percent-escape or ill-formed Unicode.', [{ path: '(path)', message: 'Not a valid address.' }]);
  }
  return sendProblem(reply, 'validation_failed', 'The request could not be processed.');
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendProblem(reply, error.code, error.detail, error.errors, error.extra);
    if (isRetryable(error)) {
      // A deadlock or serialization failure that survived every retry (shared/transaction.ts): never a 500.
      request.log.warn({ err: error }, 'transaction gave up after retries');
      return sendProblem(reply, 'conflict', 'Someone else changed this at the same moment. Please try again.');
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, '').replace(/\//g, '.')].concat(
          (v.params as { issue?: { keys?: string[] } })?.issue?.keys ?? [],
        ).filter(Boolean).join('.') || '(body)',
        message: fieldMessage(v.message ?? 'Invalid value', v.keyword),
        ...(fieldReason(v.keyword, v.params) ? { reason: fieldReason(v.keyword, v.params) } : {}),
      }));
      return sendProblem(reply, 'validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, 'payload_too_large', 'The request body is larger than 100 kB.');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, 'validation_failed', 'Send the request body as application/json.');
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError || error.statusCode === 400) {
      return sendProblem(reply, 'validation_failed', 'The request body is not valid JSON.');
    }
    if (error.statusCode === 429) return sendProblem(reply, 'rate_limited', 'Too many requests; please wait a moment and try again.');
    if (error.statusCode === 413) return sendProblem(reply, 'payload_too_large', 'The request body is too large.');
    if (error.statusCode === 415) return sendProblem(reply, 'validation_failed', 'Send the request body as application/json.');
    if (error.statusCode === 404) return sendProblem(reply, 'not_found', 'There is nothing at this address.');
    if (error.statusCode === 403) return sendProblem(reply, 'forbidden', 'This is not allowed.');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendProblem(reply, 'validation_failed', 'The request could not be processed.');
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type('application/problem+json').send({
      type: 'about:blank#internal', title: 'Something went wrong on our side', status: 500, code: 'internal',
      detail: 'The error has been logged. Please try again in a moment.',
    });
  });
}
