import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('window', { history: { state: null }, location: { pathname: '/', search: '' }, addEventListener: () => {} });
const { match } = await import('../../src/web/router');

// Issue 11 (ADR 0030): the small router matches flat routes and layouts with nested pages.
describe('router match', () => {
  it('matches params and refuses other lengths', () => {
    expect(match('/apps/:name', '/apps/bakery%20shop')).toEqual({ name: 'bakery shop' });
    expect(match('/apps/:name', '/apps/bakery/env')).toBeNull();
    expect(match('/apps/:name', '/companies/x')).toBeNull();
  });

  it('gives the rest of the path to a "/*" layout route', () => {
    expect(match('/companies/:id/*', '/companies/c1')).toEqual({ id: 'c1', '*': '' });
    expect(match('/companies/:id/*', '/companies/c1/billing/invoices')).toEqual({ id: 'c1', '*': 'billing/invoices' });
    expect(match('/companies/:id/*', '/companies')).toBeNull();
    expect(match('/companies/:id/*', '/apps/c1/billing')).toBeNull();
  });

  it('refuses a malformed escape instead of throwing', () => {
    expect(match('/apps/:name', '/apps/%E0%A4%A')).toBeNull();
  });
});
