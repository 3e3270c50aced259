/** Same rule as the server (src/server/modules/apps/view.ts), checked early for a quick answer. */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{1,28})[a-z0-9]$/;

export function appNameProblem(name: string): string | null {
  if (!name) return 'Enter a name for the App.';
  if (name.length < 3 || name.length > 30) return 'Use 3 to 30 characters.';
  if (!APP_NAME.test(name) || name.includes('--')) {
    return 'Use lowercase letters, digits and single hyphens; start and end with a letter or digit.';
  }
  return null;
}

export const REGION_OPTIONS = [
  { value: 'eu1', label: 'Europe (eu1)', hint: 'Data stays in the European Union.' },
  { value: 'us1', label: 'United States (us1)' },
];

export const REGION_LABEL: Record<string, string> = { eu1: 'Europe (eu1)', us1: 'United States (us1)' };

/** Environment variable names: capital letters, digits and underscores, not starting with a digit. */
export const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;

const ACTIONS: Record<string, string> = {
  'app.booked': 'booked an App',
  'app.deleted': 'deleted an App',
  'app.env_changed': 'changed environment variables',
  'app.handed_over': 'handed an App over',
  'app.notes_changed': 'changed the notes',
  'app.scaled': 'changed the plan',
  'app.transfer': 'tried to transfer an App',
  'app.transferred_in': 'moved an App into this Company',
  'app.transferred_out': 'moved an App out of this Company',
  'app.trial_created': 'created a trial App',
  'billing.app_added': 'started billing for an App',
  'billing.app_removed': 'stopped billing for an App',
  'billing_contact.created': 'added a billing contact',
  'billing_contact.updated': 'changed a billing contact',
  'company.created': 'set up the Company',
  'company.deleted': 'deleted the Company',
  'company.renamed': 'renamed the Company',
  'company.updated': 'changed the Company settings',
  'company.view': 'tried to open the Company',
  'company.transfers_blocked': 'blocked transfers out',
  'company.transfers_unblocked': 'allowed transfers out',
  'company.two_factor_required': 'required two-factor authentication for all members',
  'company.two_factor_not_required': 'stopped requiring two-factor authentication',
  'handover.accepted': 'accepted a handover',
  'handover.declined': 'declined a handover',
  'invitation.declined': 'declined an invitation',
  'handover.invited': 'invited a client to take over an App',
  'handover.resent': 'resent a handover invitation',
  'handover.revoked': 'revoked a handover invitation',
  'invitation.created': 'invited someone to the Company',
  'invitation.new_requested': 'asked for a new invitation',
  'invitation.resent': 'resent an invitation',
  'invitation.revoked': 'revoked an invitation',
  'invitation.signed_up': 'signed up from an invitation',
  'member.added': 'added a member',
  'member.joined': 'joined the Company',
  'member.left': 'left the Company',
  'member.remove': 'tried to remove a member',
  'member.removed': 'removed a member',
  'member.role_changed': 'changed a member’s role',
  // Billing (issue 12): done by the system (the monthly run, the payment jobs) or an owner.
  'invoice.issued': 'issued an invoice',
  'invoice.mailed': 'mailed an invoice',
  'invoice.credited': 'credited an invoice (credit note)',
  'invoice.credit_note_mailed': 'mailed a credit note',
  'invoice.paid': 'received the payment of an invoice',
  'invoice.payment_failed': 'could not charge an invoice',
  'invoice.action_required': 'asked the card holder to confirm a payment',
  'invoice.refunded': 'refunded a credited invoice',
  'invoice.pay': 'tried to pay an invoice',
  'invoice.view': 'tried to open the invoices',
  'apps.suspended': 'suspended the Apps of an unpaid invoice',
  'apps.reactivated': 'reactivated the Apps after payment',
};

export function describeAction(action: string): string {
  return ACTIONS[action] ?? action.replace(/[._]/g, ' ');
}
