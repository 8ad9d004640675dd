// Every exported table read back by a second Parquet reader, independent of DuckDB (hyparquet, pure JavaScript),
// and its values compared with the warehouse exactly. hyparquet turns DECIMAL into a JavaScript number, so the
// decimal annotations are taken off the schema before reading: the raw two's-complement integers come back and are
// turned into exact decimal text here, with the file's own scale.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { parquetMetadata, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { exportParquet } from '../../src/export/index.ts';
import { meterDimensionRows } from '../../src/export/meter-dimension.ts';
import { EXPORT_TABLES } from '../../src/export/tables.ts';
import { ACCOUNT, HOSTILE_RESOURCE } from '../fixtures/report/warehouse.ts';
import { insertExportFixture } from '../fixtures/report/export-warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP }); // half away from zero
const MONTHS = ['2024-04', '2024-05'];

type Cell = string | boolean | null | Cell[];
type Row = Record<string, Cell>;

/** Two's-complement big-endian bytes (FIXED_LEN_BYTE_ARRAY) or an INT32/INT64, as exact decimal text. */
function decimalText(raw: unknown, scale: number): string {
  let value: bigint;
  if (raw instanceof Uint8Array) {
    value = 0n;
    for (const byte of raw) value = value * 256n + BigInt(byte);
    if (raw.length > 0 && (raw[0] ?? 0) >= 128) value -= 1n << BigInt(raw.length * 8);
  } else value = BigInt(raw as number | bigint);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const two = (n: number): string => String(n).padStart(2, '0');
function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
}

/** Read one file with hyparquet; decimals as exact text, dates and timestamps as DuckDB prints them, JSON as text. */
async function readWithHyparquet(path: string): Promise<{ columns: string[]; rows: Row[] }> {
  const bytes = await readFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata: FileMetaData = parquetMetadata(file);
  const scales = new Map<string, number>();
  for (const element of metadata.schema) {
    if (element.converted_type === 'DECIMAL') {
      scales.set(element.name, element.scale ?? 0);
      delete element.converted_type;
      delete element.logical_type;
    }
  }
  const decoder = new TextDecoder();
  const rows = (await parquetReadObjects({
    file,
    metadata,
    parsers: {
      dateFromDays: (days: number) => isoDate(new Date(days * 86_400_000)),
      timestampFromMicroseconds: (micros: bigint) => {
        const date = new Date(Number(micros / 1000n));
        const fraction = micros % 1_000_000n;
        const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
        return `${isoDate(date)} ${time}${fraction === 0n ? '' : `.${fraction.toString().padStart(6, '0')}`}`;
      },
      jsonFromBytes: (raw: Uint8Array) => decoder.decode(raw),
    },
  })) as Record<string, unknown>[];
  const cell = (name: string, value: unknown): Cell => {
    if (value === null || value === undefined) return null;
    const scale = scales.get(name);
    if (scale !== undefined) return decimalText(value, scale);
    if (Array.isArray(value)) return value.map((item) => cell('', item));
    if (typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    throw new Error(`${name}: unexpected value ${JSON.stringify(value)}`);
  };
  return {
    columns: topLevelNames(metadata),
    rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, cell(name, value)]))),
  };
}

/** The file's columns: the root's children in the flattened schema (each element is followed by its children). */
function topLevelNames(metadata: FileMetaData): string[] {
  const names: string[] = [];
  let index = 1;
  const skip = (): void => {
    const element = metadata.schema[index++];
    for (let child = 0; child < (element?.num_children ?? 0); child++) skip();
  };
  while (index < metadata.schema.length) {
    names.push(metadata.schema[index]?.name ?? '');
    skip();
  }
  return names;
}

/** DuckDB's own values as text: the warehouse side of the comparison. */
function canonical(row: Record<string, unknown>): Row {
  const cell = (value: unknown): Cell => {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map(cell);
    if (typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    return JSON.stringify(value);
  };
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, cell(value)]));
}

describe('the Parquet files, read by a second reader (hyparquet)', () => {
  let wh: Warehouse;
  let out: string;
  const file = (table: string, month: string): string =>
    table === 'meter'
      ? join(out, 'parquet', table, 'data.parquet')
      : join(out, 'parquet', table, `billing_month=${month}`, 'data.parquet');
  beforeAll(async () => {
    wh = await openTestWarehouse();
    await insertExportFixture(wh);
    out = await mkdtemp(join(tmpdir(), 'recon-parquet-hy-'));
    await exportParquet(wh, out, MONTHS);
  });
  afterAll(async () => {
    wh.close();
    await rm(out, { recursive: true, force: true });
  });

  it('reads every column of every file as DuckDB does, cell by cell', async () => {
    for (const table of EXPORT_TABLES) {
      let rowsRead = 0;
      for (const month of table.partitioning === 'none' ? ['-'] : MONTHS) {
        const path = file(table.name, month);
        const second = await readWithHyparquet(path);
        // JSON columns: DuckDB hands them back as text too.
        const duck = (await wh.rows('select * from read_parquet($path)', { path })).map(canonical);
        const names = await wh.rows<{ column_name: string }>(
          'select column_name from (describe select * from read_parquet($path))',
          { path },
        );
        expect(second.columns, path).toEqual(names.map((column) => column.column_name));
        expect(second.rows, path).toEqual(duck);
        rowsRead += second.rows.length;
      }
      expect(rowsRead, table.name).toBeGreaterThan(0);
    }
  });

  it('finding and comparison: every quantity and money value equals the warehouse’s DECIMAL(38,18) exactly', async () => {
    for (const table of ['finding', 'comparison'] as const) {
      const key = table === 'finding' ? 'finding_id' : "billing_resource_id || '|' || meter || '|' || usage_date";
      const money = ['billed_quantity', 'expected_quantity', 'delta_quantity', 'billed_cost'];
      money.push(table === 'finding' ? 'cost_impact' : 'effective_price');
      const warehouse = await wh.rows<Record<string, string | null>>(
        `select ${key} as k, ${money.join(', ')} from ${table} where billing_month in ('2024-04', '2024-05')`,
      );
      const exported = new Map<string, Row>();
      for (const month of MONTHS) {
        for (const row of (await readWithHyparquet(file(table, month))).rows) {
          const k =
            table === 'finding'
              ? String(row.finding_id)
              : `${String(row.billing_resource_id)}|${String(row.meter)}|${String(row.usage_date)}`;
          exported.set(k, row);
        }
      }
      expect(exported.size, table).toBe(warehouse.length);
      for (const source of warehouse) {
        const row = exported.get(source.k ?? '');
        for (const column of money) {
          const [want, got] = [source[column], row?.[column]];
          expect(
            want === null || want === undefined ? null : new Exact(want).toFixed(18),
            `${table} ${source.k} ${column}`,
          ).toBe(got);
        }
      }
    }
  });

  it('finding and comparison carry the unit and the billed subscription, group, name and tags', async () => {
    const may = (await readWithHyparquet(file('finding', '2024-05'))).rows;
    const units = new Map<string, string>(meterDimensionRows().map((row) => [row.meter, row.unit]));
    for (const row of may) expect(row.unit, String(row.finding_id)).toBe(units.get(String(row.meter)) ?? null);
    const account = may.find((row) => row.finding_id === 'f-quantity');
    // The latest May line (2024-05-03) names the account 'Acct1' with its own tags.
    expect(account).toMatchObject({
      billing_resource_id: ACCOUNT,
      subscription_id: 'S1',
      resource_group: 'RG',
      resource_name: 'Acct1',
      tags: '{"team":"b","cost-center":"42"}',
    });
    // A resource no billed line names: what its id states, and no tags (unknown, not a default).
    expect(may.find((row) => row.billing_resource_id === HOSTILE_RESOURCE)).toMatchObject({
      subscription_id: null,
      resource_group: null,
      resource_name: null,
      tags: null,
    });
    // April's finding takes April's line, not May's.
    const april = (await readWithHyparquet(file('finding', '2024-04'))).rows;
    expect(april[0]).toMatchObject({ resource_name: 'acct1-april', tags: '{"team":"april"}' });
    const cells = (await readWithHyparquet(file('comparison', '2024-05'))).rows;
    expect(cells.filter((row) => row.billing_resource_id === ACCOUNT).map((row) => row.resource_name)).not.toContain(
      null,
    );
    for (const row of cells) expect(row.unit).toBe(units.get(String(row.meter)) ?? null);
  });

  it('billing_line and billing_line_restatement: the exact text is the warehouse value; the DECIMAL is it rounded', async () => {
    const lines = await wh.rows<Record<string, string>>(
      `select source_line::varchar as source_line, quantity::varchar as quantity, cost::varchar as cost,
         effective_price::varchar as effective_price
       from current_billing_line where billing_month = '2024-05' order by delivery_id, source_file, source_line`,
    );
    const exported = (await readWithHyparquet(file('billing_line', '2024-05'))).rows;
    expect(exported.map((row) => row.source_line)).toEqual(lines.map((line) => line.source_line));
    lines.forEach((line, index) => {
      for (const column of ['quantity', 'cost', 'effective_price']) {
        const row = exported[index];
        expect(row?.[`${column}_exact`], column).toBe(line[column]);
        expect(row?.[column], column).toBe(new Exact(line[column] ?? '').toFixed(18));
      }
    });
    // 0.0000000072922557592391990000 (as Azure writes it) needs 22 decimals: rounded in the DECIMAL, exact beside.
    expect(exported[0]).toMatchObject({
      effective_price: '0.000000007292255759',
      effective_price_exact: '0.0000000072922557592391990000',
      unit_of_measure: '1 GB/Month',
    });
    const [restated] = (await readWithHyparquet(file('billing_line_restatement', '2024-05'))).rows;
    const [source] = await wh.rows<Record<string, string>>(
      `select delta_quantity::varchar as delta_quantity, current_cost::varchar as current_cost
       from billing_line_restatement where billing_month = '2024-05'`,
    );
    expect(restated).toMatchObject({
      delta_quantity_exact: source?.delta_quantity,
      delta_quantity: new Exact(source?.delta_quantity ?? '').toFixed(18),
      current_cost_exact: source?.current_cost,
      unit_of_measure: '1 GB/Month',
    });
  });

  it('expected_usage: the numerator is exact and the quantity is numerator ÷ denominator rounded at 18 decimals', async () => {
    const source = await wh.rows<Record<string, string>>(
      `select meter, quantity_numerator::varchar as n, quantity_denominator::varchar as d from expected_usage
       where billing_month = '2024-05' order by meter`,
    );
    const exported = (await readWithHyparquet(file('expected_usage', '2024-05'))).rows;
    expect(exported.map((row) => [row.meter, row.quantity_numerator, row.quantity_denominator])).toEqual(
      source.map((row) => [row.meter, row.n, row.d]),
    );
    for (const [index, row] of exported.entries()) {
      const want = new Exact(source[index]?.n ?? '').div(source[index]?.d ?? '1').toFixed(18);
      expect(row.quantity).toBe(want);
    }
  });

  it('meter: one row per canonical key, as src/billing/meters.ts states it', async () => {
    const exported = (await readWithHyparquet(file('meter', '-'))).rows;
    const expected = meterDimensionRows().sort((a, b) => (a.meter < b.meter ? -1 : 1));
    expect(exported).toEqual(expected);
  });
});
