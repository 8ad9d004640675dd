import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse, type Row } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { prepareFile, stageFile, startDelivery } from '../../src/ingest/file-ingest.ts';
import { ingestExports } from '../../src/ingest/index.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');
const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

const ACCOUNT =
  '/subscriptions/a1b2c3d4-0000-4000-8000-00000000f11e/resourcegroups/rg-files/providers/microsoft.storage/storageaccounts/stfilesprod01';
const V2_ACCOUNT =
  '/subscriptions/a1b2c3d4-0000-4000-8000-00000000f11e/resourcegroups/rg-files/providers/microsoft.storage/storageaccounts/stfilesv2ssd01';

interface Line extends Row {
  source_line: string;
  usage_date: string;
  charge_period_start: string;
  charge_period_end: string;
  billing_resource_id: string;
  meter_id: string;
  meter_name: string;
  unit_of_measure: string;
  pricing_block_size: string;
  distinct_unit: string;
  quantity: string;
  cost: string;
  charge_type: string;
  charge_class: string | null;
  tags: string | null;
  billing_currency: string;
}

describe('ingestExports', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  const lines = (where = 'true'): Promise<Line[]> =>
    wh.rows<Line>(`select * from billing_line where ${where} order by source_file, source_line`);

  it('reads the EA header real files carry (Cost, Product, BillingCurrency; BOM, LF) exactly', async () => {
    const messages: string[] = [];
    const report = await ingestExports(wh, [fixture('ea-real-header')], { onProgress: (m) => messages.push(m) });
    expect(report).toMatchObject({ files: 1, rowsRead: 6, rowsIngested: 6, rowsQuarantined: 0, deliveriesReplaced: 0 });
    expect(report.billingMonths).toEqual(['2023-09']);
    expect(report.deliveries[0]).toMatchObject({
      dialect: 'ea',
      billingMonth: '2023-09',
      status: 'ingested',
      isComplete: true,
    });
    expect(messages).toEqual([`ingest: ${fixture('ea-real-header', 'part_0_0001.csv')}: 4.8 KiB, 6 rows`]);

    const rows = await lines();
    expect(rows.map((r) => r.source_line)).toEqual(['2', '3', '4', '5', '6', '7']);
    const [hot, premium, v2, writes, refund, snapshot] = rows;
    // 28 fractional digits survive exactly; the meter id is lower-cased.
    expect(hot).toMatchObject({
      quantity: '0.0000000072922557592391990000',
      cost: '0.0000000001516789197921753390',
      meter_id: 'b9a4dc1e-6c7f-4e8a-9d3b-2f0c1a5e7d11',
      billing_resource_id: ACCOUNT,
      charge_period_start: '2023-09-01 00:00:00',
      charge_period_end: '2023-09-02 00:00:00',
      usage_date: '2023-09-01',
      unit_of_measure: '1 GB/Month',
      pricing_block_size: '1.0000000000',
      distinct_unit: 'GB/Month',
      billing_currency: 'USD',
      charge_class: null,
    });
    expect(JSON.parse(hot?.tags ?? 'null')).toEqual({ env: 'prod', CostCenter: '1234' });
    expect(premium?.quantity).toBe('33.0322580645161290322580645161');
    expect(premium?.cost).toBe('5.2851612903225806451612903226');
    expect(v2).toMatchObject({ billing_resource_id: V2_ACCOUNT, quantity: '24576.0000000000000000000000000000' });
    expect(v2).toMatchObject({ unit_of_measure: '1 GiB/Hour', distinct_unit: 'GiB/Hour' });
    expect(writes).toMatchObject({
      unit_of_measure: '10K',
      pricing_block_size: '10000.0000000000',
      distinct_unit: 'Units',
    });
    expect(writes?.quantity).toBe('0.0004000000000000000000000000');
    // A refund keeps its sign and type; EA has no ChargeClass, so it is FOCUS's Correction.
    expect(refund).toMatchObject({
      charge_type: 'Refund',
      charge_class: 'Correction',
      quantity: '-0.5000000000000000000000000000',
      cost: '-0.0104000000000000000000000000',
      usage_date: '2023-09-02',
    });
    expect(snapshot?.meter_name).toBe('LRS Snapshots');
    expect(snapshot?.tags).toBeNull();
  });

  it('reads the documented EA header (CostInBillingCurrency, CRLF) and numbers lines after an embedded newline', async () => {
    const report = await ingestExports(wh, [fixture('ea-documented-header', 'usage.csv')]);
    expect(report).toMatchObject({ rowsRead: 3, rowsIngested: 3, rowsQuarantined: 0 });
    const rows = await lines();
    // Row 2 spans lines 3-4 (a quoted ServiceInfo1 with a line break), so row 3 starts on line 5.
    expect(rows.map((r) => [r.source_line, r.cost])).toEqual([
      ['2', '0.0000000001516789197921753390'],
      ['3', '5.2851612903225806451612903226'],
      ['5', '0.0000260000000000000000000000'],
    ]);
    expect(rows[0]?.billing_currency).toBe('USD');
  });

  it('stores a delivery in file and line order, whether its lines follow its rows or not', async () => {
    // ea-real-header: one line a row; quarantine: a blank line, rejected and quarantined records between kept ones.
    await ingestExports(wh, [fixture('ea-real-header'), fixture('quarantine', 'usage.csv')]);
    const stored = await wh.rows<{ file: string; source_line: string }>(
      `select regexp_extract(source_file, '[^/]+/[^/]+$') as file, source_line from billing_line order by rowid`,
    );
    expect(stored.map((r) => `${r.file}:${r.source_line}`)).toEqual([
      ...[2, 3, 4, 5, 6, 7].map((line) => `ea-real-header/part_0_0001.csv:${line}`),
      ...[2, 3, 10, 13, 16, 18].map((line) => `quarantine/usage.csv:${line}`),
    ]);
  });

  it('refuses to stage a file inside a transaction, where rowids are not positions in the file', async () => {
    const file = await prepareFile(wh, fixture('ea-real-header', 'part_0_0001.csv'), 'csv');
    await startDelivery(wh);
    await expect(wh.transaction('ingest', () => stageFile(wh, file, true))).rejects.toThrow(
      /staged rows are not numbered 0…7 \(staging ran inside a transaction\?\)/,
    );
    // Outside one, the same file stages.
    await expect(stageFile(wh, file, true)).resolves.toMatchObject({ rowsRead: 6, rowsIngested: 6 });
  });

  it('reads gzip-compressed CSV', async () => {
    const report = await ingestExports(wh, [fixture('ea-gzip', 'part_0_0001.csv.gz')]);
    expect(report).toMatchObject({ files: 1, rowsRead: 3, rowsIngested: 3 });
    expect((await lines()).map((r) => r.quantity)).toEqual([
      '0.0000000072922557592391990000',
      '33.0322580645161290322580645161',
      '24576.0000000000000000000000000000',
    ]);
    const file = await wh.row<{ file_format: string }>('select file_format from ingest_file');
    expect(file?.file_format).toBe('csv.gz');
  });

  it('reads MCA (mixed-case header, BOM, MM/DD/YYYY, tags without braces)', async () => {
    const report = await ingestExports(wh, [fixture('mca')]);
    expect(report.deliveries[0]).toMatchObject({ dialect: 'mca', billingMonth: '2026-09', rowsIngested: 2 });
    const rows = await lines();
    expect(rows.map((r) => [r.usage_date, r.quantity, r.cost, r.unit_of_measure, r.distinct_unit])).toEqual([
      ['2026-09-10', '72000.0000000000000000000000000000', '2.6712000000000000000000000000', '1/Hour', 'Units/Hour'],
      ['2026-09-11', '2400.0000000000000000000000000000', '0.1296000000000000000000000000', '1/Hour', 'Units/Hour'],
    ]);
    expect(rows[0]).toMatchObject({ billing_currency: 'EUR', meter_id: '6e0b2d9f-1a37-4c85-b4f2-8c9d0e1f2a33' });
    expect(JSON.parse(rows[0]?.tags ?? 'null')).toEqual({ team: 'finance' });
    expect(rows[1]?.tags).toBeNull();
  });

  it('reads FOCUS 1.0 (dates without seconds, hourly periods, E-notation, ChargeClass)', async () => {
    const report = await ingestExports(wh, [fixture('focus-1.0')]);
    expect(report.deliveries[0]).toMatchObject({ dialect: 'focus', billingMonth: '2024-01', rowsIngested: 3 });
    const [storage, ops, correction] = await lines();
    expect(storage).toMatchObject({
      charge_period_start: '2024-01-01 00:00:00',
      charge_period_end: '2024-01-01 01:00:00',
      quantity: '1024.0000000000000000000000000000',
      unit_of_measure: '1 GiB/Hour',
      pricing_block_size: '1.0000000000',
      distinct_unit: 'GiB/Hour',
      meter_id: '6e0b2d9f-1a37-4c85-b4f2-8c9d0e1f2a33',
      billing_resource_id: V2_ACCOUNT,
      charge_class: null,
    });
    expect(JSON.parse(storage?.tags ?? 'null')).toEqual({ env: 'prod' });
    expect(ops).toMatchObject({ quantity: '0.0015000000000000000000000000', pricing_block_size: '10000.0000000000' });
    expect(ops).toMatchObject({ charge_period_end: '2024-01-02 00:00:00', usage_date: '2024-01-01' });
    expect(correction).toMatchObject({ charge_class: 'Correction', quantity: '-1024.0000000000000000000000000000' });
  });

  it('keeps the usage day a person reads in a Date or ChargePeriodStart written with a UTC offset or a time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-dates-'));
    // FOCUS re-saved by a tool that wrote local time with its offset: 1 Jan 00:00 +02:00 is still 1 Jan.
    const focus = (await readFile(fixture('focus-1.0', 'part_0_0001.csv'), 'utf8'))
      .replaceAll('2024-01-01T00:00Z', '2024-01-01T00:00:00+02:00')
      .replaceAll('2024-01-01T01:00Z', '2024-01-01T01:00:00+02:00');
    await writeFile(join(dir, 'focus.csv'), focus);
    const ea = (await readFile(fixture('ea-real-header', 'part_0_0001.csv'), 'utf8')).split('\n');
    const dateAt = (ea[0] ?? '')
      .replace(/^\uFEFF/, '')
      .split(',')
      .indexOf('Date');
    const withDate = (row: string, date: string): string =>
      row
        .split(',')
        .map((field, i) => (i === dateAt ? date : field))
        .join(',');
    // EA Date with a time (Excel) and an ISO date with a negative offset: the day as written, a whole day.
    await writeFile(
      join(dir, 'ea.csv'),
      [
        ea[0],
        withDate(ea[1] ?? '', '09/01/2023 13:45:00'),
        withDate(ea[2] ?? '', '2023-09-01T00:00:00-07:00'),
        '',
      ].join('\n'),
    );
    const report = await ingestExports(wh, [join(dir, 'focus.csv'), join(dir, 'ea.csv')]);
    expect(report.rowsQuarantined).toBe(0);
    expect(
      await wh.rows(
        `select usage_date, charge_period_start, charge_period_end from billing_line
         where source_file = $1 order by source_line limit 1`,
        [join(dir, 'focus.csv')],
      ),
    ).toEqual([
      {
        usage_date: '2024-01-01',
        charge_period_start: '2024-01-01 00:00:00',
        charge_period_end: '2024-01-01 01:00:00',
      },
    ]);
    expect(
      await wh.rows(
        `select usage_date, charge_period_start, charge_period_end from billing_line
         where source_file = $1 order by source_line`,
        [join(dir, 'ea.csv')],
      ),
    ).toEqual([
      {
        usage_date: '2023-09-01',
        charge_period_start: '2023-09-01 00:00:00',
        charge_period_end: '2023-09-02 00:00:00',
      },
      {
        usage_date: '2023-09-01',
        charge_period_start: '2023-09-01 00:00:00',
        charge_period_end: '2023-09-02 00:00:00',
      },
    ]);
  });

  it('reads FOCUS 1.0r2 (seconds) and 1.2 (SkuMeter instead of x_SkuMeterName)', async () => {
    await ingestExports(wh, [fixture('focus-1.0r2'), fixture('focus-1.2')]);
    const rows = await wh.rows<{ n: string; s: string; e: string; m: string }>(
      `select count(*) as n, min(charge_period_start) as s, max(charge_period_end) as e, min(meter_name) as m
       from billing_line group by delivery_id order by n`,
    );
    expect(rows).toEqual([
      { n: '1', s: '2024-01-01 00:00:00', e: '2024-01-01 01:00:00', m: 'SSD LRS Provisioned Storage' },
      { n: '2', s: '2024-01-01 00:00:00', e: '2024-01-02 00:00:00', m: 'Hot LRS Write Operations' },
    ]);
  });

  it('reads Parquet through the same mapping (typed columns included)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-parquet-'));
    const path = join(dir, 'part_0_0001.parquet');
    await wh.run(
      `copy (select * from (values
         ('2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', cast('0.0000000072922557592391990000' as decimal(38, 28)),
          cast(0.1403 as decimal(18, 4)), 'ABC-DEF', '1 GiB/Hour', '/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/ST1'),
         ('2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z', null, cast(1 as decimal(18, 4)), 'ABC-DEF', '1 GiB/Hour', 'x'))
         t("ChargePeriodStart", "ChargePeriodEnd", "PricingQuantity", "BilledCost", "x_SkuMeterId", "x_PricingUnitDescription", "ResourceId"))
       to '${path.replace(/'/g, "''")}' (format parquet)`,
    );
    const report = await ingestExports(wh, [path]);
    expect(report).toMatchObject({ rowsRead: 2, rowsIngested: 1, rowsQuarantined: 1 });
    expect(await lines()).toMatchObject([
      {
        source_line: '1',
        quantity: '0.0000000072922557592391990000',
        cost: '0.1403000000000000000000000000',
        meter_id: 'abc-def',
        billing_resource_id: '/subscriptions/x/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st1',
        pricing_block_size: '1.0000000000',
        distinct_unit: 'GiB/Hour',
      },
    ]);
    expect(await wh.rows('select source_line, reason from quarantine')).toEqual([
      { source_line: '2', reason: 'PricingQuantity: missing' },
    ]);
  });

  it('quarantines bad rows with their physical line and keeps the rest', async () => {
    const report = await ingestExports(wh, [fixture('quarantine', 'usage.csv')]);
    // 13 data records: 6 good, 7 bad; the blank line 14 is not a data row. Line 13's Tags are not JSON: a
    // descriptive column, so the charge is kept (tags NULL) and the problem recorded.
    expect(report).toMatchObject({ rowsRead: 13, rowsIngested: 6, rowsQuarantined: 7, rowsWithDescriptiveProblems: 1 });
    expect((await lines()).map((r) => [r.source_line, r.quantity])).toEqual([
      ['2', '1.5000000000000000000000000000'],
      ['3', '2.5000000000000000000000000000'],
      ['10', '1.5000000000000000000000000000'],
      ['13', '1.5000000000000000000000000000'],
      ['16', '3.0000000000000000000000000000'],
      ['18', '4.0000000000000000000000000000'],
    ]);
    const quarantined = await wh.rows<{ source_line: string; reason: string; raw_text: string }>(
      'select source_line, reason, raw_text from quarantine order by source_line',
    );
    expect(quarantined.map((q) => [q.source_line, q.reason])).toEqual([
      ['5', 'Quantity: not a decimal: 1,5'],
      ['6', 'Date: not a date/time: 2023-13-45'],
      ['7', 'Quantity: missing'],
      ['8', 'MeterId/MeterName: missing (no meter)'],
      ['9', 'MISSING COLUMNS: Expected Number of Columns: 55 Found: 5'],
      ['15', 'Quantity: more than 28 fractional digits: 0.12345678901234567890123456789'],
      ['17', 'TOO MANY COLUMNS: Expected Number of Columns: 55 Found: 56'],
    ]);
    expect(quarantined.find((q) => q.source_line === '9')?.raw_text).toBe(
      '12345678,Contoso EA,09/01/2023,09/30/2023,12345678',
    );
    expect(quarantined.find((q) => q.source_line === '5')?.raw_text).toContain(',"1,5",');
    const stats = await wh.row('select rows_read, rows_ingested, rows_quarantined from ingest_file');
    expect(stats).toEqual({ rows_read: '13', rows_ingested: '6', rows_quarantined: '7' });
    expect(await wh.rows('select source_line, column_name, problem, raw_text from descriptive_field_problem')).toEqual([
      { source_line: '13', column_name: 'Tags', problem: 'not a JSON object', raw_text: 'not json at all' },
    ]);
  });

  it('keeps a record whose bytes are not UTF-8 in a descriptive column and counts a header-only file as zero rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-utf8-'));
    const [header, first, second] = (await readFile(fixture('ea-real-header', 'part_0_0001.csv')))
      .toString('utf8')
      .split('\n');
    const broken = Buffer.concat([
      Buffer.from(`${header ?? ''}\n`),
      Buffer.from(first ?? ''),
      Buffer.from([0xff, 0xfe, 0x0a]),
    ]);
    await writeFile(join(dir, 'bad-utf8.csv'), Buffer.concat([broken, Buffer.from(`${second ?? ''}\n`)]));
    await writeFile(join(dir, 'header-only.csv'), `${header ?? ''}\n`);
    const report = await ingestExports(wh, [dir]);
    // The header-only file is read (2 files) but, with no month to bill, stores no delivery (issue 11).
    // The bytes end the last column, benefitName: it names the charge, so the charge is kept and the problem counted.
    expect(report.deliveries.map((d) => [d.rowsRead, d.rowsIngested, d.rowsQuarantined])).toEqual([[2, 2, 0]]);
    expect(report).toMatchObject({ files: 2, rowsRead: 2, rowsIngested: 2, rowsQuarantined: 0 });
    expect(await wh.rows('select source_line, column_name, problem from descriptive_field_problem')).toEqual([
      {
        source_line: '2',
        column_name: 'benefitName',
        problem: 'not UTF-8 text: the bytes that are no character are kept as U+FFFD',
      },
    ]);
    expect((await lines()).map((r) => r.source_line)).toEqual(['2', '3']);
  });

  it('refuses a file without a required column, or an input that does not exist', async () => {
    await expect(ingestExports(wh, [fixture('ea-missing-column')])).rejects.toThrow(InputError);
    await expect(ingestExports(wh, [fixture('ea-missing-column')])).rejects.toThrow(
      /usage\.csv: EA export is missing required column\(s\): Quantity or UsageQuantity; UnitOfMeasure/,
    );
    await expect(ingestExports(wh, [fixture('no-such-folder')])).rejects.toThrow(
      /no-such-folder: cannot read export input/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'recon-ingest-'));
    await writeFile(join(dir, 'usage.xlsx'), 'x');
    await expect(ingestExports(wh, [join(dir, 'usage.xlsx')])).rejects.toThrow(/usage\.xlsx: unknown export file type/);
    expect(await wh.rows('select * from delivery')).toEqual([]);
  });

  it('lets the newest month-to-date manifest replace the older one, whatever the ingest order', async () => {
    const runs = ['1f8d218f-5c3a-4b8e-9f3d-2a6b7c8d9e01', '7946d592-03d8-4ce0-bfca-af3abfa49d71'];
    const month = fixture('mtd', 'cost-exports', 'StorageCosts', '20230901-20230930');
    const currentOf = async (order: string[]) => {
      const other = await openTestWarehouse();
      try {
        let replaced = 0;
        for (const run of order)
          replaced = (await ingestExports(other, [join(month, run, 'manifest.json')])).deliveriesReplaced;
        const current = await other.rows(
          `select usage_date, quantity, cost from current_billing_line order by usage_date`,
        );
        const restated = await other.rows(
          'select usage_date, replaced_quantity, current_quantity, delta_cost from billing_line_restatement order by usage_date',
        );
        const delivery = await other.row('select run_id, days_covered, file_count from current_delivery');
        return { replaced, current, restated, delivery };
      } finally {
        other.close();
      }
    };
    const forward = await currentOf(runs);
    const backward = await currentOf([...runs].reverse());
    expect(backward).toEqual(forward);
    expect(forward.replaced).toBe(1);
    expect(forward.delivery).toEqual({ run_id: runs[1], days_covered: 3, file_count: 2 });
    expect(forward.current).toEqual([
      { usage_date: '2023-09-01', quantity: '12.0000000000000000000000000000', cost: '0.2496000000000000000000000000' },
      { usage_date: '2023-09-02', quantity: '10.0000000000000000000000000000', cost: '0.2080000000000000000000000000' },
      { usage_date: '2023-09-03', quantity: '10.0000000000000000000000000000', cost: '0.2080000000000000000000000000' },
    ]);
    expect(forward.restated).toEqual([
      {
        usage_date: '2023-09-01',
        replaced_quantity: '10.0000000000000000000000000000',
        current_quantity: '12.0000000000000000000000000000',
        delta_cost: '0.0416000000000000000000000000',
      },
      {
        usage_date: '2023-09-03',
        replaced_quantity: null,
        current_quantity: '10.0000000000000000000000000000',
        delta_cost: '0.2080000000000000000000000000',
      },
    ]);
  });

  it('re-ingesting the same delivery changes nothing', async () => {
    const first = await ingestExports(wh, [fixture('mtd')]);
    expect(first.deliveries.map((d) => d.status)).toEqual(['ingested', 'ingested']);
    const again = await ingestExports(wh, [fixture('mtd')]);
    expect(again.deliveries.map((d) => d.status)).toEqual(['already_ingested', 'already_ingested']);
    expect(again).toMatchObject({ files: 3, rowsRead: 5, rowsIngested: 5, rowsQuarantined: 0, deliveriesReplaced: 1 });
    const counts = await wh.row(
      'select (select count(*) from billing_line) as lines, (select count(*) from delivery) as deliveries',
    );
    expect(counts).toEqual({ lines: '5', deliveries: '2' });
  });

  it('marks a delivery whose manifest row count disagrees incomplete, and never current', async () => {
    await ingestExports(wh, [fixture('mtd')]);
    const messages: string[] = [];
    const report = await ingestExports(wh, [fixture('count-mismatch')], { onProgress: (m) => messages.push(m) });
    expect(report.deliveries[0]).toMatchObject({
      isComplete: false,
      incompleteReason:
        'blob cost-exports/StorageCosts/20230901-20230930/0c2b4d6e-8f10-4a2b-8c4d-6e8f0a2b4c6d/part_0_0001.csv: ' +
        'manifest dataRowCount 5, read 2 data rows',
      rowsRead: 2,
    });
    expect(messages.at(-1)).toMatch(/incomplete delivery, not used/);
    const current = await wh.row<{ run_id: string }>('select run_id from current_delivery');
    expect(current?.run_id).toBe('7946d592-03d8-4ce0-bfca-af3abfa49d71');
    expect(await wh.row('select sum(quantity) as q from current_billing_line')).toEqual({
      q: '32.0000000000000000000000000000',
    });
  });

  describe('exportConfig.granularity', () => {
    const run = '7946d592-03d8-4ce0-bfca-af3abfa49d71';
    const copyRun = async (granularity: string): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'recon-granularity-'));
      await cp(fixture('mtd', 'cost-exports'), join(dir, 'cost-exports'), { recursive: true });
      const manifest = join(dir, 'cost-exports', 'StorageCosts', '20230901-20230930', run, 'manifest.json');
      const text = await readFile(manifest, 'utf8');
      await writeFile(manifest, text.replace('"granularity": "Daily"', `"granularity": "${granularity}"`));
      return manifest;
    };

    it('Daily rows charge one day each', async () => {
      await ingestExports(wh, [await copyRun('Daily')]);
      const periods = await lines();
      expect(periods.length).toBe(3);
      for (const l of periods) {
        expect(new Date(`${l.charge_period_end}Z`).getTime() - new Date(`${l.charge_period_start}Z`).getTime()).toBe(
          86_400_000,
        );
      }
    });

    it('Monthly rows (EA/MCA Date) charge the whole month: to the first of the next month', async () => {
      await ingestExports(wh, [await copyRun('monthly')]);
      const periods = await lines();
      expect(periods.length).toBe(3);
      for (const l of periods) expect(l.charge_period_end).toBe('2023-10-01 00:00:00');
    });

    it('refuses a granularity that is neither Daily nor Monthly, naming the field', async () => {
      const manifest = await copyRun('Hourly');
      await expect(ingestExports(wh, [manifest])).rejects.toThrow(
        /manifest field exportConfig\.granularity is not Daily or Monthly: "Hourly"/,
      );
    });
  });

  it('marks a manifest with a missing blob incomplete, naming the blob', async () => {
    const report = await ingestExports(wh, [fixture('missing-blob')]);
    expect(report.deliveries[0]).toMatchObject({
      isComplete: false,
      files: 1,
      rowsRead: 1,
      incompleteReason:
        'blob cost-exports/StorageCosts/20230901-20230930/0c2b4d6e-8f10-4a2b-8c4d-6e8f0a2b4c6d/part_1_0001.csv not found',
    });
    expect(await wh.rows('select * from current_delivery')).toEqual([]);
    expect(await wh.rows('select * from current_billing_line')).toEqual([]);
  });

  it('orders loose files of the export layout by their data, never by file times', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-loose-'));
    await cp(fixture('loose-layout'), dir, { recursive: true }); // the copy gets fresh mtimes in copy order
    const report = await ingestExports(wh, [dir]);
    expect(report.deliveries.map((d) => [d.exportScope, d.billingMonth, d.rowsRead])).toEqual([
      ['export:storagecosts', '2023-09', 2],
      ['export:storagecosts', '2023-09', 3],
    ]);
    expect(report.deliveriesReplaced).toBe(1);
    const current = await wh.row('select run_id, period_end, days_covered from current_delivery');
    expect(current).toEqual({
      run_id: '7946d592-03d8-4ce0-bfca-af3abfa49d71',
      period_end: '2023-09-03',
      days_covered: 3,
    });
  });

  it('leaves the warehouse as it was when a delivery fails inside its transaction', async () => {
    const probe = await openTestWarehouse();
    const deliveryId = (await ingestExports(probe, [fixture('ea-gzip')])).deliveries[0]?.deliveryId;
    probe.close();
    // A stray ingest_file row with the same key makes the delivery's last inserts fail.
    await wh.run(
      `insert into ingest_file (delivery_id, source_file, file_format, byte_count, sha256, rows_read, rows_ingested, rows_quarantined)
        values ($1, $2, 'csv.gz', 0, 'x', 0, 0, 0)`,
      [deliveryId ?? '', fixture('ea-gzip', 'part_0_0001.csv.gz')],
    );
    await expect(ingestExports(wh, [fixture('ea-gzip')])).rejects.toThrow(/ingest_file|Constraint|PRIMARY KEY/i);
    const after = await wh.row(
      'select (select count(*) from billing_line) as lines, (select count(*) from delivery) as deliveries, (select count(*) from quarantine) as q',
    );
    expect(after).toEqual({ lines: '0', deliveries: '0', q: '0' });
  });
});
