/**
 * The plan catalogue: data, not code (SPEC section 2). Prices are monthly, in cents.
 * A plan names one size of every component: `{ php: 'php-s', database: 'db-s', storage: 'storage-10' }`.
 * The trial plan uses the smallest sizes and costs nothing while the App is a trial.
 */
import { en } from '../../../shared/i18n/en.js';

/** The parts' and sizes' names come from the shared catalogue (English in the API; the web and mails translate by id). */
const words = en.plans;

export type Currency = 'EUR' | 'USD';
export const CURRENCIES: readonly Currency[] = ['EUR', 'USD'];

export interface PlanSize { id: string; name: string; monthlyPrice: Record<Currency, number> }
export interface PlanComponent { id: string; name: string; sizes: PlanSize[] }
export type Plan = Record<string, string>;

export const PLAN_COMPONENTS: PlanComponent[] = [
  {
    id: 'php', name: words.components.php,
    sizes: [
      { id: 'php-s', name: words.sizes['php-s'], monthlyPrice: { EUR: 900, USD: 1000 } },
      { id: 'php-m', name: words.sizes['php-m'], monthlyPrice: { EUR: 1900, USD: 2100 } },
      { id: 'php-l', name: words.sizes['php-l'], monthlyPrice: { EUR: 3900, USD: 4300 } },
      { id: 'php-xl', name: words.sizes['php-xl'], monthlyPrice: { EUR: 7900, USD: 8700 } },
    ],
  },
  {
    id: 'database', name: words.components.database,
    sizes: [
      { id: 'db-s', name: words.sizes['db-s'], monthlyPrice: { EUR: 500, USD: 600 } },
      { id: 'db-m', name: words.sizes['db-m'], monthlyPrice: { EUR: 1500, USD: 1700 } },
      { id: 'db-l', name: words.sizes['db-l'], monthlyPrice: { EUR: 4500, USD: 4900 } },
    ],
  },
  {
    id: 'storage', name: words.components.storage,
    sizes: [
      { id: 'storage-10', name: words.sizes['storage-10'], monthlyPrice: { EUR: 200, USD: 200 } },
      { id: 'storage-50', name: words.sizes['storage-50'], monthlyPrice: { EUR: 800, USD: 900 } },
      { id: 'storage-200', name: words.sizes['storage-200'], monthlyPrice: { EUR: 2500, USD: 2800 } },
    ],
  },
];

/** The sizes of a trial App. */
export const TRIAL_PLAN: Plan = { php: 'php-s', database: 'db-s', storage: 'storage-10' };

