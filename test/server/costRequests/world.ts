import type { ParsedMail } from 'mailparser';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { addMember, createCompany, type CompanyFixture } from '../../harness/factories.js';
import type { TestSmtp } from '../../harness/smtp.js';
import { as, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/** A Company of two owners and an admin (issue 17: cost changes the owner hears about). */
export interface CostWorld { company: CompanyFixture; owner: SignedIn; owner2: SignedIn; admin: SignedIn; collaborator: SignedIn; accountant: SignedIn }

export async function costWorld(t: TestApp, opts: { requireApproval?: boolean; secondOwner?: boolean } = {}): Promise<CostWorld> {
  const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
  const owner2 = await signUpVerified(t, { firstName: 'Otto', lastName: 'Owner' });
  const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
  const collaborator = await signUpVerified(t, { firstName: 'Cleo', lastName: 'Collab' });
  const accountant = await signUpVerified(t, { firstName: 'Anna', lastName: 'Accountant' });
  const company = await createCompany(t, owner);
  if (opts.secondOwner !== false) await addMember(t, company.id, owner2, 'owner');
  await addMember(t, company.id, admin, 'admin');
  await addMember(t, company.id, collaborator, 'collaborator');
  await addMember(t, company.id, accountant, 'accountant');
  if (opts.requireApproval) {
    const res = await as(t, owner).patch(`/api/v1/companies/${company.id}`, { requireCostApproval: true });
    if (res.statusCode !== 200) throw new Error(`requireCostApproval failed: ${res.statusCode} ${res.body}`);
  }
  return { company, owner, owner2, admin, collaborator, accountant };
}

/** Delivers the whole outbox over SMTP (the test server collects it). */
export async function deliver(t: TestApp): Promise<void> {
  while (await deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log) > 0) { /* until the outbox is empty */ }
}

export function mailsFor(smtp: TestSmtp, to: string, subject?: RegExp): ParsedMail[] {
  return smtp.received.filter((m) => JSON.stringify(m.to).toLowerCase().includes(to.toLowerCase()) && (!subject || subject.test(m.subject ?? '')));
}
