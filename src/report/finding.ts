// A finding as the public contract defines it (contract.md): the same keys in JSON, CSV and Parquet. Decimal
// strings for quantities and money; the evidence columns of the finding table extend it where they are needed.
export interface PublicFinding {
  finding_id: string;
  billing_month: string;
  usage_date: string | null;
  billing_resource_id: string | null;
  meter: string | null;
  kind: string;
  severity: string;
  billed_quantity: string | null;
  expected_quantity: string | null;
  delta_quantity: string | null;
  billed_cost: string | null;
  cost_impact: string | null;
  currency: string | null;
  money_direction: MoneyDirection;
  overbilled_cost: string | null;
  underbilled_cost: string | null;
  unverifiable_cost: string | null;
  provisional: boolean;
  explanation: string;
}

/**
 * Which way a finding's money goes (sql/diff/finding_case.sql): overbilled is claimable from Azure,
 * underbilled is owed (Azure may still bill it), unverifiable was billed but cannot be checked, none has no money.
 */
export type MoneyDirection = 'overbilled' | 'underbilled' | 'unverifiable' | 'none';

/** The three directions that carry money, in the order every report shows them. */
export const MONEY_DIRECTIONS = ['overbilled', 'underbilled', 'unverifiable'] as const;
