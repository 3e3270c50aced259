/**
 * Issue 17, "cost changes the owner hears about" (SPEC 4.12): the words of the cost mails
 * and of the cost-request panel and switch. Values are plain text (render.ts escapes the
 * HTML part of mails). German: cost.de.ts.
 */
export const costEn = {
  cost: {
    mail: {
      hello: 'Hello {{name}},',
      action: 'Open your company',
      amounts: 'Monthly cost of "{{app}}" before: {{beforeNet}} excluding VAT, {{beforeGross}} including VAT.\nMonthly cost of "{{app}}" now: {{afterNet}} excluding VAT, {{afterGross}} including VAT.',
      amountsAsked: 'Monthly cost of "{{app}}" now: {{beforeNet}} excluding VAT, {{beforeGross}} including VAT.\nMonthly cost of "{{app}}" after the change: {{afterNet}} excluding VAT, {{afterGross}} including VAT.',
      increase: {
        subjectScale: 'The monthly cost of "{{app}}" went up',
        subjectBook: '{{actor}} booked "{{app}}" for "{{company}}"',
        scale: '{{actor}} changed the plan of "{{app}}" in "{{company}}". It is billed from {{day}}.',
        book: '{{actor}} booked the new App "{{app}}" for "{{company}}". It is billed from {{day}}.',
        approved: '{{actor}} asked for this change; {{approver}} approved it.',
        hint: 'If you did not expect this, please ask {{actor}}. As an owner you can switch on "Ask me before the monthly cost goes up" on your company page: then such changes wait for your approval.',
      },
      request: {
        subject: '{{actor}} asks you to approve a higher monthly cost for "{{app}}"',
        scale: '{{actor}} would like to change the plan of "{{app}}" in "{{company}}".',
        book: '{{actor}} would like to book the new App "{{app}}" for "{{company}}".',
        wait: 'Nothing changes until an owner approves. The request expires on {{until}}.',
        action: 'Approve or decline',
      },
      outcome: {
        subjectApproved: 'Approved: your change to "{{app}}"',
        subjectDeclined: 'Declined: your change to "{{app}}"',
        subjectExpired: 'Expired: your change to "{{app}}"',
        approvedScale: '{{owner}} approved your request: "{{app}}" now runs on the new plan.',
        approvedBook: '{{owner}} approved your request: "{{app}}" is booked for "{{company}}".',
        declined: '{{owner}} declined your request to change "{{app}}" in "{{company}}". Nothing was changed.',
        expired: 'Nobody approved your request to change "{{app}}" in "{{company}}" within 7 days, so it has expired. Nothing was changed.',
        action: 'Open the company',
      },
    },
    web: {
      sentForApproval: 'Sent to the owner for approval. Nothing changes until an owner approves it.',
      switch: {
        title: 'Cost increases',
        label: 'Ask me before the monthly cost goes up',
        help: 'When an admin scales an App up or books a new one, the change waits until an owner approves it. Owners are mailed either way.',
        on: 'From now on, admins\' changes that raise the monthly cost wait for an owner\'s approval.',
        off: 'Admins\' changes now take effect at once; owners are still mailed about every increase.',
      },
      activity: {
        amounts: '{{before}} → {{after}} a month, excluding VAT',
      },
      panel: {
        title: 'Requests to raise the monthly cost',
        titleOwn: 'Your requests waiting for approval',
        none: 'No requests are waiting.',
        kind: { scale: 'Change the plan of {{app}}', book: 'Book the new App {{app}}' },
        requestedBy: 'Asked by {{name}} on {{date}}',
        amounts: 'From {{before}} to {{after}} a month, excluding VAT',
        amountsGross: 'From {{before}} to {{after}} a month, including VAT',
        expires: 'Expires on {{date}}',
        list: 'Requests',
        approve: 'Approve',
        approveLabel: 'Approve: {{what}}',
        declineLabel: 'Decline: {{what}}',
        decline: 'Decline',
        approved: 'Approved: the change is made.',
        declined: 'Declined: nothing was changed.',
        state: { pending: 'Waiting for an owner', approved: 'Approved', declined: 'Declined', expired: 'Expired' },
      },
    },
  },
} as const;
