// The billing months a report or export covers: validated once, deduplicated and sorted so outputs are deterministic.
import { InputError } from '../errors.ts';

const BILLING_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function checkBillingMonths(billingMonths: readonly string[]): string[] {
  for (const month of billingMonths) {
    if (!BILLING_MONTH.test(month)) throw new InputError(`billing month ${JSON.stringify(month)} is not YYYY-MM`);
  }
  return [...new Set(billingMonths)].sort();
}
