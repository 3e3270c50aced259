import { linkIn, mailsTo, type TestApp } from './testApp.js';

export async function latestTeamToken(t: TestApp, email: string): Promise<string> {
  const [mail] = await mailsTo(t.services.db, email.toLowerCase(), 'team-invitation');
  if (!mail) throw new Error(`no team invitation mail to ${email}`);
  return new URL(linkIn(mail.textBody)).pathname.split('/').pop()!;
}
