/**
 * The words of the server's invitation and team mails (issue 11), in the shared catalogue so
 * that a mail is rendered in its recipient's language (ADR 0050). Values are plain text:
 * render.ts escapes them for the HTML part. German: mail.de.ts.
 */
export const mailEn = {
  mail: {
    orCopy: 'Or copy this link:',
    hello: 'Hello,',
    helloNamed: 'Hello {{name}},',
    someone: 'Someone',
    clientInvitation: {
      subject: '{{inviter}} invites you to take over your website "{{app}}"',
      built: '{{inviter}} ({{email}}) has built your website "{{app}}" and invites you to take it over.',
      writes: '{{inviter}} writes:\n"{{message}}"',
      whatHappens: 'What will happen: you become the owner of "{{app}}" and pay for it from the day after you accept: {{price}} per month (or {{otherPrice}} if you pay in {{otherCurrency}}), plus VAT where it applies. {{inviter}} keeps working on it for you as an admin of your company account. You can remove {{inviter}} at any time.',
      needs: 'You will need a few minutes and a payment card. This link works until {{until}}.',
      action: 'See the invitation',
      footer: 'If you do not know {{inviter}}, you can ignore this mail; nothing happens without you.',
    },
    handoverDone: {
      subject: 'You now own "{{app}}"',
      owned: 'You now own "{{app}}" through your company "{{company}}". You pay {{price}} per month from {{day}}.',
      admin: '{{inviter}} is an admin of "{{company}}" and keeps working on your website. You can see and manage billing and your team, and remove {{inviter}} later, on your company page.',
      action: 'Open your company',
    },
    handoverInviter: {
      subject: '{{client}} took over "{{app}}"; you are now admin of "{{company}}"',
      accepted: '{{client}} accepted your invitation: "{{app}}" now belongs to "{{company}}", which pays for it from {{day}}.',
      admin: 'You are now admin of "{{company}}": you can keep working on the App, scale it and book more Apps on its billing contacts. You cannot see the company\'s payment details.',
      action: 'Open the company',
    },
    handoverPrevious: {
      subject: '"{{app}}" has been handed over to {{client}}',
      body: '"{{app}}" has been handed over to "{{company}}" by {{inviter}}. Your company pays for it through {{day}}; "{{company}}" pays from the next day.',
    },
    newRequested: {
      subject: '{{email}} asks for a new invitation',
      body: '{{email}} opened your invitation to {{what}}, but the link no longer works, and asks you for a new one.',
      resend: 'You can send a new link from the invitation list with "Resend".',
      action: 'Open the invitations',
    },
    declined: {
      subject: '{{email}} declined your invitation',
      body: '{{email}} declined your invitation to {{what}}.',
    },
    teamInvitation: {
      subject: '{{inviter}} invites you to join "{{company}}" on the Dashboard',
      body: '{{inviter}} ({{email}}) invites you to join "{{company}}" as {{role}}.',
      apps: 'Apps: {{apps}}',
      until: 'This link works until {{until}}. Sign in with this e-mail address to accept, or create an account from the link.',
      action: 'See the invitation',
      footer: 'If you do not know {{inviter}}, you can ignore this mail.',
      roles: {
        owner: 'an owner (full control, including billing and the team)',
        admin: 'an admin (works on all Apps, books Apps, invites collaborators)',
        collaborator: 'a collaborator (works on the Apps named below)',
        accountant: 'an accountant (sees billing details and invoices)',
      },
    },
    teamJoined: {
      subject: '{{member}} joined "{{company}}"',
      body: '{{member}} ({{email}}) accepted the invitation and joined "{{company}}" as {{role}}.',
    },
    team: {
      action: 'See the team',
      roleSubject: 'Role changed in "{{company}}"',
      roleOthers: '{{actor}} changed the role of {{member}} in "{{company}}" {{what}}.',
      roleAffected: '{{actor}} changed your role in "{{company}}" {{what}}.',
      fromTo: 'from {{before}} to {{after}}',
      apps: 'Apps: {{apps}}',
      appsNone: 'Apps: none',
      removedSubject: '{{member}} was removed from "{{company}}"',
      removedOthers: '{{actor}} removed {{member}} ({{role}}) from "{{company}}".',
      removedAffected: '{{actor}} removed you from "{{company}}". You no longer have access to its Apps.',
      leftSubject: '{{member}} left "{{company}}"',
      leftOthers: '{{member}} ({{role}}) left "{{company}}".',
      leftAffected: 'You left "{{company}}". You no longer have access to its Apps.',
    },
  },
} as const;
