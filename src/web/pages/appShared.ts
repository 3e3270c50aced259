import { i18n } from '../i18n';

/** Same rule as the server (src/server/modules/apps/view.ts), checked early for a quick answer. */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{1,28})[a-z0-9]$/;

export function appNameProblem(name: string): string | null {
  if (!name) return i18n.t('appName.missing');
  if (name.length < 3 || name.length > 30) return i18n.t('appName.length');
  if (!APP_NAME.test(name) || name.includes('--')) return i18n.t('appName.pattern');
  return null;
}

/** The regions to choose from, in the current language. */
export function regionOptions() {
  return [
    { value: 'eu1', label: i18n.t('regions.eu1'), hint: i18n.t('regions.eu1Hint') },
    { value: 'us1', label: i18n.t('regions.us1') },
  ];
}

export function regionLabel(region: string): string {
  return region === 'eu1' || region === 'us1' ? i18n.t(`regions.${region}`) : region;
}

/** "Free trial", "Active", …: an App's status in the current language. */
export function statusLabel(status: string): string {
  return status === 'trial' || status === 'active' || status === 'suspended' || status === 'deleted' ? i18n.t(`status.${status}`) : status;
}

/** Environment variable names: capital letters, digits and underscores, not starting with a digit. */
export const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;

/** "changed the plan" for `app.scaled`; an action the catalogue does not know yet reads as its words. */
export function describeAction(action: string): string {
  const key = `activity.actions.${action}`;
  return /^[a-z_]+\.[a-z_]+$/.test(action) && i18n.exists(key) ? i18n.t(key as 'activity.actions.app.scaled') : action.replace(/[._]/g, ' ');
}
