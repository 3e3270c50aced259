/**
 * Re-authentication without losing work (SPEC 4.10, issue 16): when a change answers 403
 * `reauthentication_required`, the registered prompt asks for the password (or a code);
 * once confirmed, the very same request is sent again and its answer goes back to the page
 * that made it, as if nothing had happened. Cancelled: the page gets the original error.
 */
import type { Middleware } from 'openapi-fetch';

type Prompt = () => Promise<boolean>;
let prompt: Prompt | null = null;

export function setReauthPrompt(next: Prompt | null) {
  prompt = next;
}

const copies = new Map<string, Request>();

export const reauthRetry: Middleware = {
  onRequest({ request, id }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') copies.set(id, request.clone());
    return undefined;
  },
  async onResponse({ request, response, id }) {
    const copy = copies.get(id);
    copies.delete(id);
    if (response.status !== 403 || !copy || !prompt || new URL(request.url).pathname === '/api/v1/me/reauthenticate') return undefined;
    let code: unknown;
    try { code = ((await response.clone().json()) as { code?: unknown }).code; } catch { return undefined; }
    if (code !== 'reauthentication_required') return undefined;
    if (!(await prompt())) return undefined;
    return globalThis.fetch(copy);
  },
};
