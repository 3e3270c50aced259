import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { PLAN_COMPONENTS, TRIAL_PLAN, type Currency, type Plan } from './catalogue.js';

export interface Money { amount: number; currency: Currency }

const SIZE_BY_COMPONENT = new Map(PLAN_COMPONENTS.map((c) => [c.id, new Map(c.sizes.map((s) => [s.id, s]))]));

/** A plan in a request: `{<componentId>: <sizeId>}` naming every component; checked against the catalogue by `checkPlan`. */
export const planInput = z.record(z.string().max(50), z.string().max(50));

/** Throws validation_failed unless the plan names exactly one known size of every component. */
export function checkPlan(plan: Record<string, string>, path = 'plan'): Plan {
  const errors: { path: string; message: string }[] = [];
  for (const component of PLAN_COMPONENTS) {
    const size = plan[component.id];
    if (size === undefined) errors.push({ path: `${path}.${component.id}`, message: `Choose a ${component.name} size.` });
    else if (!SIZE_BY_COMPONENT.get(component.id)!.has(size)) {
      errors.push({ path: `${path}.${component.id}`, message: `"${size}" is not a ${component.name} size.` });
    }
  }
  for (const key of Object.keys(plan)) {
    if (!SIZE_BY_COMPONENT.has(key)) errors.push({ path: `${path}.${key}`, message: `"${key}" is not a plan component.` });
  }
  if (errors.length) throw new AppError('validation_failed', errors.map((e) => e.message).join(' '), errors);
  const ordered: Plan = {};
  for (const component of PLAN_COMPONENTS) ordered[component.id] = plan[component.id];
  return ordered;
}

/** The monthly price of a (checked) plan in a currency. */
export function monthlyPrice(plan: Plan, currency: Currency): Money {
  let amount = 0;
  for (const component of PLAN_COMPONENTS) {
    const size = SIZE_BY_COMPONENT.get(component.id)!.get(plan[component.id]);
    if (!size) throw new Error(`plan without a valid ${component.id} size`);
    amount += size.monthlyPrice[currency];
  }
  return { amount, currency };
}

export function samePlan(a: Plan, b: Plan): boolean {
  return PLAN_COMPONENTS.every((c) => a[c.id] === b[c.id]);
}

export function catalogueView() {
  return {
    components: PLAN_COMPONENTS.map((c) => ({
      id: c.id, name: c.name,
      sizes: c.sizes.map((s) => ({ id: s.id, name: s.name, monthlyPrice: { EUR: s.monthlyPrice.EUR, USD: s.monthlyPrice.USD } })),
    })),
    trial: { ...TRIAL_PLAN },
  };
}
