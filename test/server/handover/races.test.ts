import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, billingContacts, companies, memberships, sandboxPaymentTokens } from '../../../src/server/db/schema.js';
import { cardToken, contactInput, createTrial, MEDIUM_PLAN } from '../../harness/factories.js';
import { inviteClient, signUpClient } from '../../harness/handover.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type TestApp } from '../../harness/testApp.js';

// Real parallel connections only exist on PostgreSQL (PGlite serialises every query).
describe.runIf(onPostgres)('racing accepts of one handover (issue 4, PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('20 parallel accepts: exactly one Company, one owner, one admin row, one App move, one card authorisation', async () => {
    const dev = await signUpVerified(t, { firstName: 'Race', lastName: 'Dev' });
    const app = await createTrial(t, dev);
    const email = uniqueEmail('racer');
    const { invitation, token } = await inviteClient(t, dev, app, email, MEDIUM_PLAN);
    const client = await signUpClient(t, token, email);
    const card = await cardToken(t);
    const body = { token, company: { name: 'Racing Bakery' }, billingContact: contactInput({ invoiceEmail: email }), paymentMethod: { token: card } };
    const results = await Promise.all(Array.from({ length: 20 }, () => as(t, client).post('/api/v1/invitations/accept', body)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c !== 200).every((c) => c === 404)).toBe(true);
    expect(results.filter((r) => r.statusCode === 404).every((r) => r.json().code === 'invitation_invalid')).toBe(true);

    const db = t.services.db;
    const created = await db.select().from(companies).where(eq(companies.name, 'Racing Bakery'));
    expect(created).toHaveLength(1);
    const members = await db.select().from(memberships).where(eq(memberships.companyId, created[0].id));
    expect(members.filter((m) => m.role === 'owner')).toHaveLength(1);
    expect(members.filter((m) => m.role === 'admin')).toHaveLength(1);
    const contacts = await db.select().from(billingContacts).where(eq(billingContacts.companyId, created[0].id));
    expect(contacts).toHaveLength(1);
    const [row] = await db.select().from(apps).where(eq(apps.name, app));
    expect(row).toMatchObject({ companyId: created[0].id, status: 'active' });
    const uses = await db.select().from(sandboxPaymentTokens).where(eq(sandboxPaymentTokens.token, card));
    expect(uses).toHaveLength(1);
    expect(uses[0].usedFor).toBe(`handover:${invitation.id}`);
    const [{ n }] = (await db.execute(sql`SELECT count(*)::int AS n FROM billing_periods WHERE app_id = ${row.id}`)).rows as { n: number }[];
    expect(n).toBe(1);
  });
});
