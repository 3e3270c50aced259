import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializer } from '../../../src/server/http/serializer.js';
import { appSummarySchema } from '../../../src/server/modules/apps/view.js';

/** The compiled serializer of the big lists (issue 14) writes what zod's encode would. */
describe('compiledSerializer', () => {
  const schema = z.object({ items: z.array(appSummarySchema), nextCursor: z.string().nullable() });
  const stringify = compiledSerializer({ schema });

  it('writes the same JSON as zod for nullable, optional and nested fields, and drops unknown fields', () => {
    const page = {
      items: [
        { name: 'trial-1', status: 'trial', company: null, access: 'trial', plan: { php: 'php-s' }, webAddress: 'https://trial-1.apps.localhost', trialEndsAt: '2026-12-15T00:00:00.000Z', secret: 'x' },
        { name: 'shop', status: 'active', webAddress: 'https://shop.apps.localhost', company: { id: 'co_1', name: 'Bakery "Müller"', ownerEmail: 'x@y' }, access: 'owner', plan: { php: 'php-m', database: 'db-s' } },
      ],
      nextCursor: null,
    };
    const written = stringify(page);
    expect(JSON.parse(written)).toEqual(schema.parse(page));
    expect(written).not.toContain('secret');
    expect(written).not.toContain('ownerEmail');
    expect(JSON.parse(stringify({ items: [], nextCursor: 'abc' }))).toEqual({ items: [], nextCursor: 'abc' });
  });

  it('fails on a missing required field instead of writing a wrong answer', () => {
    expect(() => stringify({ items: [{ name: 'x', status: 'trial', company: null, access: 'trial' }], nextCursor: null })).toThrow();
  });
});
