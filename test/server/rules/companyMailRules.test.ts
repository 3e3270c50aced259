import { describe, expect, it } from 'vitest';
import { companyDeletedMail } from '../../../src/server/modules/companies/mails.js';

/**
 * Issue 10 (Stryker on companies/mails.ts, 4 December): the mail every member gets when a
 * Company is deleted (issue 5), in the member's language (ADR 0050), built directly (no
 * database: the function only words the mail; rules/companyRules checks who gets it).
 */
const EN = { language: 'en', timeZone: null } as const;
const DE = { language: 'de', timeZone: 'Europe/Berlin' } as const;
const olivia = { firstName: 'Olivia', lastName: 'Owner', email: 'olivia@example.com' };

describe('the "Company deleted" mail (issue 5)', () => {
  it('names who deleted it, the Company, the member\'s role in her words, the Apps deleted with it, and that invoices stay valid', () => {
    expect(companyDeletedMail({ to: 'ada@example.com', actor: olivia, company: 'Agency', role: 'admin', apps: ['shop', 'blog'] }, EN)).toEqual({
      kind: 'company-deleted', to: 'ada@example.com', language: 'en', subject: '"Agency" was deleted',
      paragraphs: ['Olivia Owner deleted the Company "Agency", where you were admin.', 'Its Apps were deleted with it: shop, blog.', 'Invoices already sent stay valid.'],
    });
    expect(companyDeletedMail({ to: 'acc@example.com', actor: olivia, company: 'Agentur', role: 'accountant', apps: [] }, DE)).toEqual({
      kind: 'company-deleted', to: 'acc@example.com', language: 'de', subject: '„Agentur“ wurde gelöscht',
      paragraphs: ['Olivia Owner hat die Firma „Agentur“ gelöscht, in der Sie Buchhaltung waren.', 'Sie hatte keine Apps.', 'Bereits verschickte Rechnungen bleiben gültig.'],
    });
  });

  it('an owner with only a first name, or with no name at all, is named as everywhere else: her names, else her address', () => {
    const firstOnly = companyDeletedMail({ to: 'a@example.com', actor: { ...olivia, lastName: '' }, company: 'Agency', role: 'owner', apps: [] }, EN);
    expect(firstOnly.paragraphs[0]).toBe('Olivia deleted the Company "Agency", where you were owner.');
    const nameless = companyDeletedMail({ to: 'a@example.com', actor: { firstName: '', lastName: '', email: 'olivia@example.com' }, company: 'Agency', role: 'collaborator', apps: [] }, DE);
    expect(nameless.paragraphs[0]).toBe('olivia@example.com hat die Firma „Agency“ gelöscht, in der Sie Mitarbeiter waren.');
  });
});
