// Test helpers for the billed stage: deliveries and billing lines inserted directly.
import type { Warehouse } from '../../src/db/warehouse.ts';
import { addHours, insertBillingLines, insertDelivery as insertBuiltDelivery } from '../helpers/builders.ts';

/** A delivery row; each test delivery has its own export scope so any "current delivery" rule keeps them all. */
export async function insertDelivery(
  wh: Warehouse,
  deliveryId: string,
  billingMonth = '2025-03',
  dialect: 'ea' | 'mca' | 'focus' = 'ea',
): Promise<void> {
  await insertBuiltDelivery(wh, {
    delivery_id: deliveryId,
    billing_month: billingMonth,
    dialect,
    submitted_at: '2025-04-01 00:00:00',
  });
}

export interface LineInput {
  delivery_id?: string;
  source_file?: string;
  source_line: number;
  charge_period_start?: string;
  charge_period_end?: string;
  billing_resource_id?: string | null;
  product_name?: string | null;
  meter_id?: string | null;
  meter_category?: string | null;
  meter_subcategory?: string | null;
  meter_name?: string | null;
  unit_of_measure?: string | null;
  pricing_block_size?: string | null;
  distinct_unit?: string | null;
  quantity?: string | null;
  effective_price?: string | null;
  cost?: string | null;
  billed_unit_price?: string | null;
  effective_cost?: string | null;
  billing_currency?: string;
  charge_type?: string;
  charge_class?: string | null;
  pricing_model?: string | null;
  reservation_id?: string | null;
}

export const ACCOUNT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct1';

/** Insert one billing line; unspecified columns get a v2 SSD LRS storage hour on ACCOUNT (end = start + 1 h). */
export async function insertLine(wh: Warehouse, input: LineInput): Promise<void> {
  await insertLines(wh, [input]);
}

/** Insert billing lines in one statement, each with insertLine's defaults. */
export async function insertLines(wh: Warehouse, inputs: readonly LineInput[]): Promise<void> {
  await insertBillingLines(
    wh,
    inputs.map((input) => {
      const start = input.charge_period_start ?? '2025-03-10 00:00:00';
      return {
        delivery_id: 'd1',
        source_file: 'part_0.csv',
        billing_resource_id: ACCOUNT,
        product_name: null,
        meter_id: null,
        meter_category: 'Storage',
        meter_subcategory: 'Azure Files Provisioned v2',
        meter_name: 'SSD LRS Provisioned Storage',
        unit_of_measure: '1 GiB/Hour',
        pricing_block_size: '1',
        distinct_unit: 'GiB/Hour',
        quantity: '1024',
        effective_price: '0.000137',
        cost: '0.140288',
        billing_currency: 'EUR',
        charge_type: 'Usage',
        charge_class: null,
        pricing_model: 'OnDemand',
        reservation_id: null,
        tags: '{}',
        billed_unit_price: null,
        effective_cost: null,
        ...input,
        charge_period_start: start,
        charge_period_end: input.charge_period_end ?? addHours(start, 1),
      };
    }),
  );
}
