import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { SqlError } from '../../src/errors.ts';
import { insertDelivery, insertLine } from './helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('duplicate_billed_line', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
    await insertDelivery(wh, 'd2');
  });
  afterEach(() => {
    wh.close();
  });

  it('flags the same usage twice in one delivery, not across deliveries or pricing models', async () => {
    const day = { charge_period_start: '2025-03-10 00:00:00', charge_period_end: '2025-03-11 00:00:00' };
    await insertLine(wh, { ...day, source_line: 2 });
    await insertLine(wh, { ...day, source_file: 'part_1.csv', source_line: 7 }); // the repeat, in another file
    await insertLine(wh, { ...day, delivery_id: 'd2', source_line: 2 }); // a restatement in another delivery
    await insertLine(wh, { ...day, source_line: 3, pricing_model: 'Reservation', reservation_id: 'r1' }); // legit split
    await insertLine(wh, { ...day, source_line: 4, quantity: '1023' }); // another quantity
    await insertLine(wh, { ...day, source_line: 5, meter_category: 'Virtual Machines', meter_name: 'D2 v3' }); // ignored
    await insertLine(wh, { ...day, source_line: 6, meter_category: 'Virtual Machines', meter_name: 'D2 v3' });
    await buildBilledUsage(wh);
    const rows = await wh.rows<Record<string, unknown>>(
      `select delivery_id, source_file, source_line, meter_key, occurrence_count, occurrence_rank, is_repeat,
              cost_billing_currency, duplicate_group_id
       from duplicate_billed_line order by delivery_id, occurrence_rank`,
    );
    expect(rows.map(({ duplicate_group_id: _, ...rest }) => rest)).toEqual([
      {
        delivery_id: 'd1',
        source_file: 'part_0.csv',
        source_line: '2',
        meter_key: 'v2.provisioned_storage',
        occurrence_count: '2',
        occurrence_rank: '1',
        is_repeat: false,
        cost_billing_currency: '0.1402880000000000000000000000',
      },
      {
        delivery_id: 'd1',
        source_file: 'part_1.csv',
        source_line: '7',
        meter_key: 'v2.provisioned_storage',
        occurrence_count: '2',
        occurrence_rank: '2',
        is_repeat: true,
        cost_billing_currency: '0.1402880000000000000000000000',
      },
    ]);
    expect(rows[0]?.duplicate_group_id).toBe(rows[1]?.duplicate_group_id);
    // Both copies are billed, so both count in billed_usage: the duplicate is reported, not silently removed.
    // d2 (another export billing the same usage) is set aside by counted_delivery, so it adds nothing.
    expect(await wh.rows('select line_count, delivery_count from billed_usage')).toEqual([
      { line_count: '4', delivery_count: '1' },
    ]);
    expect(await wh.rows('select delivery_id, is_counted from counted_delivery order by delivery_id')).toEqual([
      { delivery_id: 'd1', is_counted: true },
      { delivery_id: 'd2', is_counted: false },
    ]);
  });
});

describe('duplicate_billed_line with refunds', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
  });
  afterEach(() => {
    wh.close();
  });

  it('does not call a repeat a duplicate once the same delivery refunds it', async () => {
    const day = { charge_period_start: '2025-03-10 00:00:00', charge_period_end: '2025-03-11 00:00:00' };
    const refund = { quantity: '-1024', cost: '-0.140288', charge_type: 'Refund', charge_class: 'Correction' };
    await insertLine(wh, { ...day, source_line: 2 });
    await insertLine(wh, { ...day, source_line: 3 }); // billed twice …
    await insertLine(wh, { ...day, source_line: 4, ...refund }); // … and refunded once: nets to one charge
    await buildBilledUsage(wh);
    expect(await wh.rows('select source_line, refund_count, is_repeat from duplicate_billed_line order by 1')).toEqual([
      { source_line: '2', refund_count: '1', is_repeat: false },
      { source_line: '3', refund_count: '1', is_repeat: false },
    ]);
    // Billed three times, refunded once: one repeat is still a duplicate charge.
    await insertLine(wh, { ...day, source_line: 5 });
    await buildBilledUsage(wh);
    expect(await wh.rows('select source_line from duplicate_billed_line where is_repeat')).toEqual([
      { source_line: '5' },
    ]);
  });

  it('counts a refund whose quantity is written positive (only its cost is negative) against one repeat', async () => {
    const day = { charge_period_start: '2025-03-10 00:00:00', charge_period_end: '2025-03-11 00:00:00' };
    const refund = { quantity: '1024', cost: '-0.140288', charge_type: 'Refund', charge_class: 'Correction' };
    await insertLine(wh, { ...day, source_line: 2 });
    await insertLine(wh, { ...day, source_line: 3 });
    await insertLine(wh, { ...day, source_line: 4, ...refund });
    await buildBilledUsage(wh);
    expect(await wh.rows('select source_line, refund_count, is_repeat from duplicate_billed_line order by 1')).toEqual([
      { source_line: '2', refund_count: '1', is_repeat: false },
      { source_line: '3', refund_count: '1', is_repeat: false },
    ]);
    expect(await wh.rows('select is_price_mismatch from price_check where source_line = 4')).toEqual([
      { is_price_mismatch: false },
    ]);
  });
});

describe('price_check', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
  });
  afterEach(() => {
    wh.close();
  });

  const check = () =>
    wh.rows<Record<string, unknown>>(
      `select source_line, expected_cost_billing_currency, cost_difference_billing_currency,
              abs_cost_difference_billing_currency, is_checkable, is_price_mismatch
       from price_check order by source_line`,
    );

  it('flags a 0.01 difference but not a 1e-12 rounding one, with exact differences', async () => {
    await insertLine(wh, { source_line: 2, quantity: '1024', effective_price: '0.000137', cost: '0.140288' });
    await insertLine(wh, { source_line: 3, quantity: '1024', effective_price: '0.000137', cost: '0.150288' });
    await insertLine(wh, { source_line: 4, quantity: '1024', effective_price: '0.000137', cost: '0.140288000001' });
    await insertLine(wh, { source_line: 5, quantity: '1024', effective_price: null, cost: '0.140288' });
    await buildBilledUsage(wh);
    expect(await check()).toEqual([
      {
        source_line: '2',
        expected_cost_billing_currency: '0.1402880000000000000000000000',
        cost_difference_billing_currency: '0.0000000000000000000000000000',
        abs_cost_difference_billing_currency: '0.0000000000000000000000000000',
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '3',
        expected_cost_billing_currency: '0.1402880000000000000000000000',
        cost_difference_billing_currency: '0.0100000000000000000000000000',
        abs_cost_difference_billing_currency: '0.0100000000000000000000000000',
        is_checkable: true,
        is_price_mismatch: true,
      },
      {
        source_line: '4',
        expected_cost_billing_currency: '0.1402880000000000000000000000',
        cost_difference_billing_currency: '0.0000000000010000000000000000',
        abs_cost_difference_billing_currency: '0.0000000000010000000000000000',
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '5',
        expected_cost_billing_currency: null,
        cost_difference_billing_currency: null,
        abs_cost_difference_billing_currency: null,
        is_checkable: false,
        is_price_mismatch: false,
      },
    ]);
  });

  it('multiplies 28-digit quantities and prices without DuckDB’s DECIMAL(38,28) scale overflow', async () => {
    // The naive product has scale 56: DuckDB refuses it, which is why the view casts first.
    await expect(
      wh.row("select '761856.1234567890123456789012345678'::decimal(38, 28) * '0.00000000729'::decimal(38, 28) as p"),
    ).rejects.toThrow(SqlError);
    // A month of 1 TiB v2 hours with a 28-digit quantity and the smallest price seen in exports.
    await insertLine(wh, {
      source_line: 2,
      quantity: '761856.1234567890123456789012345678',
      effective_price: '0.0000000072922557592391990000',
      cost: '0.0055556497039894198858004395', // the exact product, to 28 decimals
    });
    // A large line: 9,999,999 GiB-hours at 0.000137 — ten integer digits of cost headroom are needed.
    await insertLine(wh, { source_line: 3, quantity: '9999999', effective_price: '0.000137', cost: '1369.999863' });
    await buildBilledUsage(wh);
    expect(await check()).toEqual([
      {
        source_line: '2',
        // quantity cast to 12 decimals, price to 16: 761856.123456789012 × 0.0000000072922558
        expected_cost_billing_currency: '0.0055556497350432857221332696',
        cost_difference_billing_currency: '-0.0000000000310538658363328301',
        abs_cost_difference_billing_currency: '0.0000000000310538658363328301',
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '3',
        expected_cost_billing_currency: '1369.9998630000000000000000000000',
        cost_difference_billing_currency: '0.0000000000000000000000000000',
        abs_cost_difference_billing_currency: '0.0000000000000000000000000000',
        is_checkable: true,
        is_price_mismatch: false,
      },
    ]);
  });
});

describe('price_check on reservation and savings-plan coverage', () => {
  let wh: Warehouse;
  afterEach(() => {
    wh.close();
  });

  const flagged = () =>
    wh.rows<Record<string, unknown>>(
      `select source_line, price_pair, is_commitment_covered, is_checkable, is_price_mismatch
       from price_check order by source_line, price_pair`,
    );

  it('checks EA/MCA cost against EffectivePrice in both views: covered usage at 0 (actual) or amortized', async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
    // ActualCost: a reservation covers the hour, so price and cost are 0
    await insertLine(wh, { source_line: 2, pricing_model: 'Reservation', effective_price: '0', cost: '0' });
    // AmortizedCost of the same hour (another month, so both count): the amortized price
    await insertLine(wh, {
      source_line: 3,
      charge_period_start: '2025-03-11 00:00:00',
      pricing_model: 'SavingsPlan',
      effective_price: '0.0000961',
      cost: '0.0984064',
    });
    await buildBilledUsage(wh);
    expect(await flagged()).toEqual([
      {
        source_line: '2',
        price_pair: 'cost × EffectivePrice',
        is_commitment_covered: true,
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '3',
        price_pair: 'cost × EffectivePrice',
        is_commitment_covered: true,
        is_checkable: true,
        is_price_mismatch: false,
      },
    ]);
  });

  it('checks FOCUS BilledCost against x_BilledUnitPrice and EffectiveCost against x_EffectiveUnitPrice, never across', async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1', '2025-03', 'focus');
    // covered: BilledCost 0 at x_BilledUnitPrice 0, EffectiveCost at the amortized x_EffectiveUnitPrice
    await insertLine(wh, {
      source_line: 2,
      pricing_model: 'Committed',
      cost: '0',
      billed_unit_price: '0',
      effective_cost: '0.0984064',
      effective_price: '0.0000961',
    });
    // on demand, but the EffectiveCost is wrong: flagged on its own pair only
    await insertLine(wh, {
      source_line: 3,
      charge_period_start: '2025-03-10 01:00:00',
      cost: '0.140288',
      billed_unit_price: '0.000137',
      effective_cost: '0.150288',
      effective_price: '0.000137',
    });
    await buildBilledUsage(wh);
    expect(await flagged()).toEqual([
      {
        source_line: '2',
        price_pair: 'BilledCost × x_BilledUnitPrice',
        is_commitment_covered: true,
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '2',
        price_pair: 'EffectiveCost × x_EffectiveUnitPrice',
        is_commitment_covered: true,
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '3',
        price_pair: 'BilledCost × x_BilledUnitPrice',
        is_commitment_covered: false,
        is_checkable: true,
        is_price_mismatch: false,
      },
      {
        source_line: '3',
        price_pair: 'EffectiveCost × x_EffectiveUnitPrice',
        is_commitment_covered: false,
        is_checkable: true,
        is_price_mismatch: true,
      },
    ]);
  });
});
