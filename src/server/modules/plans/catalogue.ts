/**
 * The plan catalogue: data, not code (SPEC section 2). Prices are monthly, in cents.
 * A plan names one size of every component: `{ php: 'php-s', database: 'db-s', storage: 'storage-10' }`.
 * The trial plan uses the smallest sizes and costs nothing while the App is a trial.
 */
export type Currency = 'EUR' | 'USD';
export const CURRENCIES: readonly Currency[] = ['EUR', 'USD'];

export interface PlanSize { id: string; name: string; monthlyPrice: Record<Currency, number> }
export interface PlanComponent { id: string; name: string; sizes: PlanSize[] }
export type Plan = Record<string, string>;

export const PLAN_COMPONENTS: PlanComponent[] = [
  {
    id: 'php', name: 'PHP',
    sizes: [
      { id: 'php-s', name: 'Small (0.5 vCPU, 512 MB)', monthlyPrice: { EUR: 900, USD: 1000 } },
      { id: 'php-m', name: 'Medium (1 vCPU, 1 GB)', monthlyPrice: { EUR: 1900, USD: 2100 } },
      { id: 'php-l', name: 'Large (2 vCPU, 2 GB)', monthlyPrice: { EUR: 3900, USD: 4300 } },
      { id: 'php-xl', name: 'Extra large (4 vCPU, 4 GB)', monthlyPrice: { EUR: 7900, USD: 8700 } },
    ],
  },
  {
    id: 'database', name: 'Database',
    sizes: [
      { id: 'db-s', name: 'Small (1 GB)', monthlyPrice: { EUR: 500, USD: 600 } },
      { id: 'db-m', name: 'Medium (5 GB)', monthlyPrice: { EUR: 1500, USD: 1700 } },
      { id: 'db-l', name: 'Large (20 GB)', monthlyPrice: { EUR: 4500, USD: 4900 } },
    ],
  },
  {
    id: 'storage', name: 'Storage',
    sizes: [
      { id: 'storage-10', name: '10 GB', monthlyPrice: { EUR: 200, USD: 200 } },
      { id: 'storage-50', name: '50 GB', monthlyPrice: { EUR: 800, USD: 900 } },
      { id: 'storage-200', name: '200 GB', monthlyPrice: { EUR: 2500, USD: 2800 } },
    ],
  },
];

/** The sizes of a trial App. */
export const TRIAL_PLAN: Plan = { php: 'php-s', database: 'db-s', storage: 'storage-10' };

