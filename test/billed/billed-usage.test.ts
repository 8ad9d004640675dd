import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBilledUsage } from '../../src/billed/index.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ACCOUNT, insertDelivery, insertLine } from './helpers.ts';
import { withBatchRows } from '../helpers/batch-rows.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FILES_V2 = { meter_category: 'Storage', meter_subcategory: 'Files v2' };

describe('billed_usage', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
    await insertDelivery(wh, 'd1');
  });
  afterEach(() => {
    wh.close();
  });

  const usage = (where = 'true') =>
    wh.rows<Record<string, unknown>>(
      `select meter_key, usage_date, meter_unit, quantity_meter_unit, paid_quantity_meter_unit,
              free_quantity_meter_unit, cost_billing_currency, effective_price_per_meter_unit, line_count,
              unnormalised_line_count, unexpected_unit_line_count, units_seen, evidence
       from billed_usage where ${where} order by meter_key, usage_date`,
    );

  it('normalises quantities to the key unit: 10K, 1 GiB/Hour, 1 GB/Month, 100 GB/Month, single transactions', async () => {
    // 4 write operations on a '10K' meter: the export quantity is already in buckets.
    await insertLine(wh, {
      ...FILES_V2,
      source_line: 2,
      meter_name: 'Hot LRS Write Operations',
      unit_of_measure: '10K',
      pricing_block_size: '10000',
      distinct_unit: 'Units',
      quantity: '0.0004',
      effective_price: '0.065',
      cost: '0.000026',
    });
    // 40,000 list operations on a hypothetical per-transaction unit: 4 buckets.
    await insertLine(wh, {
      ...FILES_V2,
      source_line: 3,
      meter_name: 'Hot LRS List Operations',
      unit_of_measure: '1',
      pricing_block_size: '1',
      distinct_unit: 'Units',
      quantity: '40000',
      effective_price: '0.0000065',
      cost: '0.26',
    });
    // One hour of a 1 TiB v2 share: GiB-hours as exported.
    await insertLine(wh, { source_line: 4, quantity: '1024', effective_price: '0.000137', cost: '0.140288' });
    // One hour of a 1 TiB v1 share in a 31-day month, '1 GB/Month' read as GiB-months (label kept).
    await insertLine(wh, {
      source_line: 5,
      meter_subcategory: 'Premium Files',
      meter_name: 'Premium LRS Provisioned',
      unit_of_measure: '1 GB/Month',
      distinct_unit: 'GB/Month',
      quantity: '1.3763440860215053763440860215',
      effective_price: '0.16',
      cost: '0.2202150537634408602150537634',
    });
    // A hypothetical '100 GB/Month' block: quantity 0.5 is 50 GiB-months, and the price per GiB-month is ÷100.
    await insertLine(wh, {
      ...FILES_V2,
      source_line: 6,
      meter_name: 'Hot LRS Data Stored',
      unit_of_measure: '100 GB/Month',
      pricing_block_size: '100',
      distinct_unit: 'GB/Month',
      quantity: '0.5',
      effective_price: '2.5',
      cost: '1.25',
    });
    await buildBilledUsage(wh);
    expect(await usage()).toEqual([
      {
        meter_key: 'payg.data_stored',
        usage_date: '2025-03-10',
        meter_unit: 'GiB-months',
        quantity_meter_unit: '50.0000000000000000000000000000',
        paid_quantity_meter_unit: '50.0000000000000000000000000000',
        free_quantity_meter_unit: '0.0000000000000000000000000000',
        cost_billing_currency: '1.2500000000000000000000000000',
        effective_price_per_meter_unit: '0.0250000000000000000000000000',
        line_count: '1',
        unnormalised_line_count: '0',
        unexpected_unit_line_count: '0',
        units_seen: ['100 GB/Month'],
        evidence: ['part_0.csv:6'],
      },
      {
        meter_key: 'payg.list_ops',
        usage_date: '2025-03-10',
        meter_unit: '10,000-transaction buckets',
        quantity_meter_unit: '4.0000000000000000000000000000',
        paid_quantity_meter_unit: '4.0000000000000000000000000000',
        free_quantity_meter_unit: '0.0000000000000000000000000000',
        cost_billing_currency: '0.2600000000000000000000000000',
        effective_price_per_meter_unit: '0.0650000000000000000000000000',
        line_count: '1',
        unnormalised_line_count: '0',
        unexpected_unit_line_count: '0',
        units_seen: ['1'],
        evidence: ['part_0.csv:3'],
      },
      {
        meter_key: 'payg.write_ops',
        usage_date: '2025-03-10',
        meter_unit: '10,000-transaction buckets',
        quantity_meter_unit: '0.0004000000000000000000000000',
        paid_quantity_meter_unit: '0.0004000000000000000000000000',
        free_quantity_meter_unit: '0.0000000000000000000000000000',
        cost_billing_currency: '0.0000260000000000000000000000',
        effective_price_per_meter_unit: '0.0650000000000000000000000000',
        line_count: '1',
        unnormalised_line_count: '0',
        unexpected_unit_line_count: '0',
        units_seen: ['10K'],
        evidence: ['part_0.csv:2'],
      },
      {
        meter_key: 'v1.provisioned',
        usage_date: '2025-03-10',
        meter_unit: 'GiB-months',
        quantity_meter_unit: '1.3763440860215053763440860215',
        paid_quantity_meter_unit: '1.3763440860215053763440860215',
        free_quantity_meter_unit: '0.0000000000000000000000000000',
        cost_billing_currency: '0.2202150537634408602150537634',
        effective_price_per_meter_unit: '0.1600000000000000000000000000',
        line_count: '1',
        unnormalised_line_count: '0',
        unexpected_unit_line_count: '0',
        units_seen: ['1 GB/Month'],
        evidence: ['part_0.csv:5'],
      },
      {
        meter_key: 'v2.provisioned_storage',
        usage_date: '2025-03-10',
        meter_unit: 'GiB-hours',
        quantity_meter_unit: '1024.0000000000000000000000000000',
        paid_quantity_meter_unit: '1024.0000000000000000000000000000',
        free_quantity_meter_unit: '0.0000000000000000000000000000',
        cost_billing_currency: '0.1402880000000000000000000000',
        effective_price_per_meter_unit: '0.0001370000000000000000000000',
        line_count: '1',
        unnormalised_line_count: '0',
        unexpected_unit_line_count: '0',
        units_seen: ['1 GiB/Hour'],
        evidence: ['part_0.csv:4'],
      },
    ]);
  });

  it('sums 24 hourly v2 lines of a day into GiB-hours (acceptance: 1,024 GiB → 24,576 per day)', async () => {
    for (let hour = 0; hour < 24; hour++) {
      const start = `2025-03-10 ${String(hour).padStart(2, '0')}:00:00`;
      await insertLine(wh, { source_line: hour + 2, charge_period_start: start });
    }
    await buildBilledUsage(wh);
    const [row] = await wh.rows(
      `select quantity_meter_unit, cost_billing_currency, line_count, len(evidence) as evidence_count,
              first_charge_period_start, last_charge_period_end from billed_usage`,
    );
    expect(row).toEqual({
      quantity_meter_unit: '24576.0000000000000000000000000000',
      cost_billing_currency: '3.3669120000000000000000000000',
      line_count: '24',
      evidence_count: '24',
      first_charge_period_start: '2025-03-10 00:00:00',
      last_charge_period_end: '2025-03-11 00:00:00',
    });
  });

  it('lists the evidence lines in the order the findings show them (as text, as diff_billed_cell sorts them)', async () => {
    for (const line of [10, 9, 2]) {
      await insertLine(wh, {
        source_line: line,
        charge_period_start: `2025-03-10 ${String(line).padStart(2, '0')}:00:00`,
      });
    }
    await buildBilledUsage(wh);
    expect(await wh.rows('select evidence, evidence = list_sort(evidence) as sorted from billed_usage')).toEqual([
      { evidence: ['part_0.csv:10', 'part_0.csv:2', 'part_0.csv:9'], sorted: true },
    ]);
  });

  it('flags a line without a block size (quantity unknown, never zero) and a unit on the wrong time basis', async () => {
    await insertLine(wh, {
      source_line: 2,
      pricing_block_size: null,
      unit_of_measure: '1 GiB/Fortnight',
      distinct_unit: null,
    });
    await insertLine(wh, {
      source_line: 3,
      meter_subcategory: 'Premium Files',
      meter_name: 'Premium LRS Provisioned',
      unit_of_measure: '1 GiB/Hour',
      distinct_unit: 'GiB/Hour',
      quantity: '1024',
      effective_price: '0.0002',
      cost: '0.2048',
    });
    await buildBilledUsage(wh);
    const rows = await usage();
    expect(
      rows.map((r) => [r.meter_key, r.quantity_meter_unit, r.unnormalised_line_count, r.unexpected_unit_line_count]),
    ).toEqual([
      ['v1.provisioned', '1024.0000000000000000000000000000', '0', '1'],
      ['v2.provisioned_storage', null, '1', '1'],
    ]);
  });

  it('nets a charge and its refund to zero and keeps the gross sums', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24.5', effective_price: '0.05', cost: '1.225' });
    await insertLine(wh, {
      source_line: 3,
      quantity: '-24.5',
      effective_price: '0.05',
      cost: '-1.225',
      charge_type: 'Refund',
      charge_class: 'Correction',
    });
    await buildBilledUsage(wh);
    expect(
      await wh.rows(
        `select quantity_meter_unit, charge_quantity_meter_unit, correction_quantity_meter_unit, cost_billing_currency,
                charge_cost_billing_currency, correction_cost_billing_currency, line_count, correction_line_count
         from billed_usage`,
      ),
    ).toEqual([
      {
        quantity_meter_unit: '0.0000000000000000000000000000',
        charge_quantity_meter_unit: '24.5000000000000000000000000000',
        correction_quantity_meter_unit: '-24.5000000000000000000000000000',
        cost_billing_currency: '0.0000000000000000000000000000',
        charge_cost_billing_currency: '1.2250000000000000000000000000',
        correction_cost_billing_currency: '-1.2250000000000000000000000000',
        line_count: '2',
        correction_line_count: '1',
      },
    ]);
  });

  it('nets a refund whose quantity is written positive by the sign of its cost', async () => {
    await insertLine(wh, { source_line: 2, quantity: '24.5', effective_price: '0.05', cost: '1.225' });
    // Seen in real EA files: the Refund line repeats the charge's positive Quantity, only its cost is negative.
    await insertLine(wh, {
      source_line: 3,
      quantity: '24.5',
      effective_price: '0.05',
      cost: '-1.225',
      charge_type: 'Refund',
      charge_class: 'Correction',
    });
    await buildBilledUsage(wh);
    expect(
      await wh.rows(
        `select quantity_meter_unit, correction_quantity_meter_unit, cost_billing_currency from billed_usage`,
      ),
    ).toEqual([
      {
        quantity_meter_unit: '0.0000000000000000000000000000',
        correction_quantity_meter_unit: '-24.5000000000000000000000000000',
        cost_billing_currency: '0.0000000000000000000000000000',
      },
    ]);
  });

  it('reads a correction as the ingest does: case and surrounding spaces are not part of the value', async () => {
    // FOCUS ChargeClass is stored as written; the ingest trims before it compares (is_correction, sql/ingest/model_macros.sql), and so must
    // the billed stage, or a padded ' Correction ' nets as a second charge.
    await insertLine(wh, { source_line: 2, quantity: '24.5', effective_price: '0.05', cost: '1.225' });
    await insertLine(wh, {
      source_line: 3,
      quantity: '24.5',
      effective_price: '0.05',
      cost: '-1.225',
      charge_type: 'Usage',
      charge_class: ' Correction ',
    });
    await buildBilledUsage(wh);
    expect(await wh.rows(`select quantity_meter_unit, correction_line_count from billed_usage`)).toEqual([
      { quantity_meter_unit: '0.0000000000000000000000000000', correction_line_count: '1' },
    ]);
  });

  it('adds the free IOPS companion to the paid IOPS meter and keeps the split', async () => {
    const iops = {
      meter_subcategory: 'Azure Files Provisioned v2',
      unit_of_measure: '1/Hour',
      distinct_unit: 'Units/Hour',
    };
    await insertLine(wh, {
      ...iops,
      source_line: 2,
      meter_name: 'SSD LRS Provisioned IOPS Free',
      quantity: '3000',
      effective_price: '0',
      cost: '0',
    });
    await insertLine(wh, {
      ...iops,
      source_line: 3,
      meter_name: 'SSD LRS Provisioned IOPS',
      quantity: '1000',
      effective_price: '0.000037',
      cost: '0.037',
    });
    await buildBilledUsage(wh);
    expect(
      await wh.rows(
        `select meter_key, meter_unit, quantity_meter_unit, paid_quantity_meter_unit, free_quantity_meter_unit,
                cost_billing_currency, effective_price_per_meter_unit, distinct_price_count, evidence
         from billed_usage`,
      ),
    ).toEqual([
      {
        meter_key: 'v2.provisioned_iops',
        meter_unit: 'IOPS-hours',
        quantity_meter_unit: '4000.0000000000000000000000000000',
        paid_quantity_meter_unit: '1000.0000000000000000000000000000',
        free_quantity_meter_unit: '3000.0000000000000000000000000000',
        cost_billing_currency: '0.0370000000000000000000000000',
        // the paid price, not the free meter's zero
        effective_price_per_meter_unit: '0.0000370000000000000000000000',
        distinct_price_count: '2',
        evidence: ['part_0.csv:2', 'part_0.csv:3'],
      },
    ]);
  });

  it('keeps separate rows per media, redundancy, tier and currency, and counts deliveries', async () => {
    await insertDelivery(wh, 'd2');
    await insertLine(wh, { source_line: 2 });
    await insertLine(wh, { source_line: 3, meter_name: 'SSD ZRS Provisioned Storage' });
    await insertLine(wh, { source_line: 4, billing_currency: 'USD' });
    await insertLine(wh, { delivery_id: 'd2', source_line: 2, charge_period_start: '2025-03-10 01:00:00' });
    await buildBilledUsage(wh);
    expect(
      await wh.rows(
        `select redundancy, billing_currency, line_count, delivery_count from billed_usage order by redundancy, billing_currency`,
      ),
    ).toEqual([
      // d2 bills the same account on the same day: another export of the same usage, set aside (counted_delivery)
      { redundancy: 'lrs', billing_currency: 'EUR', line_count: '1', delivery_count: '1' },
      { redundancy: 'lrs', billing_currency: 'USD', line_count: '1', delivery_count: '1' },
      { redundancy: 'zrs', billing_currency: 'EUR', line_count: '1', delivery_count: '1' },
    ]);
  });

  it('replaces its scope on re-run and leaves other scopes alone', async () => {
    const other = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct2';
    await insertDelivery(wh, 'd-apr', '2025-04');
    await insertLine(wh, { source_line: 2 });
    await insertLine(wh, { source_line: 3, billing_resource_id: other });
    await insertLine(wh, { delivery_id: 'd-apr', source_line: 2, charge_period_start: '2025-04-02 00:00:00' });
    expect(await buildBilledUsage(wh)).toEqual({
      lines: 3,
      mappedLines: 3,
      knownLines: 0,
      unmappedLines: 0,
      ignoredLines: 0,
    });
    expect(await buildBilledUsage(wh)).toEqual({
      lines: 3,
      mappedLines: 3,
      knownLines: 0,
      unmappedLines: 0,
      ignoredLines: 0,
    });
    expect(await wh.row('select count(*)::varchar as n from billed_usage')).toEqual({ n: '3' });

    // The March line of acct1 is restated: only the March × acct1 scope is rebuilt, by an upper-case prefix.
    await wh.run(
      "update billing_line set quantity = 512, cost = 0.070144 where delivery_id = 'd1' and source_line = 2",
    );
    await wh.run("delete from billing_line where delivery_id = 'd-apr'");
    const report = await buildBilledUsage(wh, { month: '2025-03', resourcePrefixes: [ACCOUNT.toUpperCase()] });
    expect(report).toEqual({ lines: 1, mappedLines: 1, knownLines: 0, unmappedLines: 0, ignoredLines: 0 });
    expect(
      await wh.rows('select billing_month, billing_resource_id, quantity_meter_unit from billed_usage order by 1, 2'),
    ).toEqual([
      {
        billing_month: '2025-03',
        billing_resource_id: ACCOUNT,
        quantity_meter_unit: '512.0000000000000000000000000000',
      },
      {
        billing_month: '2025-03',
        billing_resource_id: other,
        quantity_meter_unit: '1024.0000000000000000000000000000',
      },
      // April is outside the scope: kept although its delivery is gone, until April is rebuilt.
      {
        billing_month: '2025-04',
        billing_resource_id: ACCOUNT,
        quantity_meter_unit: '1024.0000000000000000000000000000',
      },
    ]);
    await buildBilledUsage(wh, { from: '2025-04-01', to: '2025-04-30' });
    expect(await wh.row("select count(*)::varchar as n from billed_usage where billing_month = '2025-04'")).toEqual({
      n: '0',
    });
  });

  describe('in batches of usage dates', () => {
    // Four days with 1, 3, 1 and 1 lines; the second day's lines have two prices and a refund, so the dominant
    // price, the distinct prices and the evidence all depend on seeing the whole group at once.
    beforeEach(async () => {
      const hour = (day: number, h: number) => `2025-03-${String(day).padStart(2, '0')} 0${h}:00:00`;
      await insertLine(wh, { source_line: 2, charge_period_start: hour(10, 0), quantity: '1024', cost: '0.140288' });
      await insertLine(wh, { source_line: 3, charge_period_start: hour(11, 0), quantity: '1024', cost: '0.140288' });
      await insertLine(wh, {
        source_line: 4,
        charge_period_start: hour(11, 1),
        quantity: '2048',
        effective_price: '0.00014',
        cost: '0.28672',
      });
      await insertLine(wh, {
        source_line: 5,
        charge_period_start: hour(11, 2),
        quantity: '1024',
        cost: '-0.140288',
        charge_type: 'Refund',
      });
      await insertLine(wh, { source_line: 6, charge_period_start: hour(12, 0), quantity: '1024', cost: '0.140288' });
      await insertLine(wh, { source_line: 7, charge_period_start: hour(13, 0), quantity: '1024', cost: '0.140288' });
    });

    const everything = () =>
      wh.rows('select * exclude (built_at) from billed_usage order by usage_date, meter_key, billing_resource_id');

    it('gives the same rows whatever the batch size, and leaves no temporary table behind', async () => {
      await buildBilledUsage(wh);
      const oneStatement = await everything();
      expect(oneStatement.map((r) => [r.usage_date, r.line_count, r.distinct_price_count])).toEqual([
        ['2025-03-10', '1', '1'],
        ['2025-03-11', '3', '2'],
        ['2025-03-12', '1', '1'],
        ['2025-03-13', '1', '1'],
      ]);
      for (const batchRows of ['1', '2']) {
        await withBatchRows(batchRows, () => buildBilledUsage(wh));
        expect(await everything()).toEqual(oneStatement);
      }
      expect(
        await wh.row("select count(*)::varchar as n from duckdb_tables() where table_name = 'billed_scope_line'"),
      ).toEqual({ n: '0' });
    });
  });

  it('rejects a malformed scope before touching the warehouse', async () => {
    await expect(buildBilledUsage(wh, { month: '2025-3' })).rejects.toThrow(
      new InputError("billed scope: month '2025-3' is not YYYY-MM"),
    );
    await expect(buildBilledUsage(wh, { from: '2025-03-31', to: '2025-03-01' })).rejects.toThrow(
      'billed scope: from 2025-03-31 is after to 2025-03-01',
    );
    await expect(buildBilledUsage(wh, { to: '03/01/2025' })).rejects.toThrow(
      "billed scope: to '03/01/2025' is not a calendar date YYYY-MM-DD",
    );
  });
});
