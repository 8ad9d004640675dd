// Property tests for the two parsers/writers that take arbitrary strings from export data:
// - parseUnitOfMeasure (src/billing/units.ts): any string gives a PricingUnit or null, never a throw; the block
//   size is positive and fits billing_line.pricing_block_size (DECIMAL(38, 10)) exactly; PricingUnits.csv's strings
//   parse to the block size and distinct unit the file documents; case and spacing variants parse the same.
// - the CSV writer (src/output/csv.ts): whatever the text, DuckDB's CSV reader gets the cell back — with a leading
//   quote exactly when the text starts with = + - @ tab or CR — and decimal cells come back as the same number.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnitOfMeasure, UNIT_WORDS, type PricingUnit } from '../../src/billing/units.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { renderCsv, type CsvCell } from '../../src/output/csv.ts';
import { parseCsv } from '../fixtures/robustness/injection/hostile-data.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const PRICING_UNITS = join(import.meta.dirname, '..', '..', 'data', 'finops-toolkit', 'PricingUnits.csv');

interface PricingUnitRow {
  unitOfMeasure: string;
  blockSize: string;
  distinctUnit: string;
}

let rows: PricingUnitRow[];
let wh: Warehouse;
let dir: string;

beforeAll(async () => {
  const [header, ...records] = parseCsv(await readFile(PRICING_UNITS, 'utf8'));
  expect(header).toEqual(['UnitOfMeasure', 'AccountTypes', 'PricingBlockSize', 'DistinctUnits']);
  rows = records.map(([unitOfMeasure = '', , blockSize = '', distinctUnit = '']) => ({
    unitOfMeasure,
    blockSize,
    distinctUnit,
  }));
  wh = await openTestWarehouse({ migrate: false });
  dir = await mkdtemp(join(tmpdir(), 'recon-fuzz-'));
});

afterAll(async () => {
  wh.close();
  await rm(dir, { recursive: true, force: true });
});

/** The words of a unit string after its number (and multiplier): '10K/Month' → ['Month']. */
function unitWordsOf(text: string): string[] {
  return text
    .trim()
    .replace(/^\d+(\.\d+)?[KMBT]?/, '')
    .split(/[\s/]+/)
    .filter((word) => word !== '');
}

const KNOWN_WORDS = new Set(UNIT_WORDS.map((word) => word.toLowerCase()));
/** A string in the grammar the fallback claims: a number, then only unit words PricingUnits.csv spells. */
const inGrammar = (text: string): boolean => unitWordsOf(text).every((word) => KNOWN_WORDS.has(word.toLowerCase()));

/** The invariants of any parse. */
function expectWellFormed(text: string, parsed: PricingUnit | null): void {
  if (parsed === null) return;
  expect(parsed.blockSize, text).toMatch(/^\d{1,28}(\.\d{1,10})?$/);
  expect(parsed.blockSize, text).not.toMatch(/^0+(\.0+)?$/);
  expect(parsed.blockSize, text).not.toMatch(/^0\d|\.\d*0$/); // canonical: no padding zeros
  expect(parsed.distinctUnit, text).not.toBe('');
  expect(parsed.distinctUnit, text).toBe(parsed.distinctUnit.replace(/\s+/g, ' ').trim());
}

// Text the unit parser sees in practice, plus anything at all.
const unitWord = fc.constantFrom(...UNIT_WORDS);
const space = fc.constantFrom(' ', '  ', '\t', ' \t ', '\u00a0');
const optionalSpace = fc.constantFrom('', ' ', '\t', '  ');
const number = fc.oneof(
  fc.nat({ max: 1_000_000 }).map(String),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 99_999 })).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
);
const grammarUnit = fc
  .tuple(
    number,
    fc.constantFrom('', 'K', 'M', 'B', 'T'),
    fc.array(unitWord, { maxLength: 2 }),
    fc.option(unitWord, { nil: undefined }),
  )
  .map(([n, multiplier, words, per]) => {
    const counted = words.join(' ');
    const unit = per === undefined ? counted : `${counted}/${per}`;
    return unit === '' ? `${n}${multiplier}` : `${n}${multiplier} ${unit}`;
  });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('1', '0', '.', ',', 'K', 'k', ' ', '/', '\t', '\n', 'G', 'B', 'H', 'x') }),
  grammarUnit,
);

/** Re-spell a unit string: unit words in random case, each space run and each '/' padded differently. */
function variantOf(text: string, cases: readonly boolean[], spaces: readonly string[]): string {
  // The number and a letter touching it keep their case: 'K' is a multiplier, 'k' is not (as in PricingUnits.csv).
  const match = /^(\s*\d+(?:\.\d+)?[KMBTkmbt]?)(.*)$/s.exec(text);
  const head = match?.[1] ?? '';
  const tail = match ? (match[2] ?? '') : text;
  let letter = 0;
  let gap = 0;
  const recased = tail.replace(/[a-z]/gi, (char) =>
    cases[letter++ % Math.max(cases.length, 1)] ? char.toUpperCase() : char.toLowerCase(),
  );
  const respaced = recased.replace(/\s+|\//g, (run) => {
    const pad = spaces[gap++ % Math.max(spaces.length, 1)] ?? ' ';
    // A '/' keeps its place with any spacing around it; a space run stays at least one space.
    if (run === '/') return `${pad}/${pad}`;
    return pad === '' ? ' ' : pad;
  });
  return `${head}${respaced}`;
}

describe('parseUnitOfMeasure', () => {
  it('takes any string: a well-formed PricingUnit or null, never a throw', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectWellFormed(text, parseUnitOfMeasure(text));
      }),
      { numRuns: 500 },
    );
  });

  it('gives block sizes DuckDB stores in DECIMAL(38, 10) exactly (no overflow, no rounding to zero)', async () => {
    const texts = fc.sample(fc.oneof(grammarUnit, anyText), { numRuns: 300, seed: 20261123 });
    const sizes = [...new Set(texts.map((text) => parseUnitOfMeasure(text)?.blockSize ?? null))];
    const blockSizes = sizes.filter((size): size is string => size !== null);
    expect(blockSizes.length).toBeGreaterThan(50);
    // One statement: the ingest's own cast (src/ingest resolveUnits), over every block size the sample produced.
    const cast = await wh.rows<{ size: string; stored: string }>(
      'select size, cast(size as decimal(38, 10))::varchar as stored from unnest($sizes::varchar[]) as t (size)',
      { sizes: listValue(blockSizes) },
    );
    expect(cast).toHaveLength(blockSizes.length);
    for (const { size, stored } of cast) expect(stored, size).toBe(new Decimal(size).toFixed(10));
  });

  it('keeps every digit of a block size, multiplier applied', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 16n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.constantFrom(['', 0], ['K', 3], ['M', 6], ['B', 9], ['T', 12]),
        (whole, fraction, [multiplier, exponent]) => {
          const digits = `${whole}${String(fraction).padStart(10, '0')}`; // the number × 10^10, as digits
          const text = `${whole}.${String(fraction).padStart(10, '0')}${multiplier} GB/Month`;
          // The exact value, by moving the decimal point in the digit string.
          const scaled = BigInt(digits) * 10n ** BigInt(exponent);
          const integer = (scaled / 10n ** 10n).toString();
          const decimals = (scaled % 10n ** 10n).toString().padStart(10, '0').replace(/0+$/, '');
          const exact = decimals === '' ? integer : `${integer}.${decimals}`;
          // At most 10 fractional digits by construction; more than 28 integer digits do not fit DECIMAL(38, 10).
          const expected = integer.length <= 28 ? { blockSize: exact, distinctUnit: 'GB/Month' } : null;
          expect(parseUnitOfMeasure(text)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    expect(parseUnitOfMeasure('1234567890123456789012345K')).toEqual({
      blockSize: '1234567890123456789012345000',
      distinctUnit: 'Units',
    });
  });

  it('refuses block sizes that would be a silent zero, an overflow or a guess', () => {
    expect(parseUnitOfMeasure('0 GB/Month')).toBeNull();
    expect(parseUnitOfMeasure('0.000 GiB/Hour')).toBeNull();
    expect(parseUnitOfMeasure('0.00000000001 GB/Month')).toBeNull(); // rounds to 0 in DECIMAL(38, 10)
    expect(parseUnitOfMeasure(`${'9'.repeat(29)} GB/Month`)).toBeNull(); // 29 integer digits: DECIMAL(38, 10) overflows
    expect(parseUnitOfMeasure('1000000000000000000000T')).toBeNull(); // 1e33 after the multiplier
    expect(parseUnitOfMeasure('1,000 GB/Month')).toBeNull(); // thousands separator or decimal comma?
    expect(parseUnitOfMeasure(`${'9'.repeat(28)} GB/Month`)).toEqual({
      blockSize: '9'.repeat(28),
      distinctUnit: 'GB/Month',
    });
    expect(parseUnitOfMeasure('0.0000000001 GB/Month')).toEqual({
      blockSize: '0.0000000001',
      distinctUnit: 'GB/Month',
    });
  });

  it('parses every PricingUnits.csv string to the block size the file documents', () => {
    // One exception, named: Microsoft lists '10000s' (MCA) as blocks of 1 transaction, not 10,000 's'. The ingest
    // consults the CSV before this fallback, so the file's answer is the one used for that string.
    const disagreeing = rows.filter((row) => parseUnitOfMeasure(row.unitOfMeasure)?.blockSize !== row.blockSize);
    expect(disagreeing.map((row) => row.unitOfMeasure)).toEqual(['10000s']);
    expect(rows.length).toBeGreaterThan(380);
  });

  it('parses PricingUnits.csv strings made of the unit words it knows to the documented distinct unit', () => {
    const known = rows.filter((row) => inGrammar(row.unitOfMeasure));
    expect(known.length).toBeGreaterThan(240);
    for (const row of known) {
      const parsed = parseUnitOfMeasure(row.unitOfMeasure);
      // The file spells one of its own units in lower case ('MB/month' → 'MB/month'; 'MB/Month' elsewhere).
      if (row.distinctUnit === 'MB/month') expect(parsed?.distinctUnit.toLowerCase()).toBe('mb/month');
      else
        expect(parsed, JSON.stringify(row.unitOfMeasure)).toEqual({
          blockSize: row.blockSize,
          distinctUnit: row.distinctUnit,
        });
    }
  });

  it('parses case and spacing variants of known units the same', () => {
    const known = rows.filter((row) => inGrammar(row.unitOfMeasure)).map((row) => row.unitOfMeasure);
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...known), grammarUnit),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.oneof(optionalSpace, space), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', ' ', '\t', '\n '),
        (text, cases, spaces, edge) => {
          const variant = `${edge}${variantOf(text, cases, spaces)}${edge}`;
          expect(parseUnitOfMeasure(variant), JSON.stringify(variant)).toEqual(parseUnitOfMeasure(text));
        },
      ),
      { numRuns: 400 },
    );
    expect(parseUnitOfMeasure('1 hour')).toEqual({ blockSize: '1', distinctUnit: 'Hours' });
    expect(parseUnitOfMeasure('Gb / Month')).toEqual({ blockSize: '1', distinctUnit: 'GB/Month' });
    expect(parseUnitOfMeasure('10K  /  hour')).toEqual({ blockSize: '10000', distinctUnit: 'Units/Hour' });
  });

  it('parses spacing variants of any string the same, and case variants to the same block size', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(space, { minLength: 1, maxLength: 4 }),
        (text, cases, spaces) => {
          const parsed = parseUnitOfMeasure(text);
          let gap = 0;
          const spaced = ` ${text.replace(/\s+/g, () => spaces[gap++ % spaces.length] ?? ' ')}\n`;
          expect(parseUnitOfMeasure(spaced), JSON.stringify(spaced)).toEqual(parsed);
          const recased = variantOf(text, cases, [' ']);
          expect(parseUnitOfMeasure(recased)?.blockSize).toBe(parsed?.blockSize);
          expect(parseUnitOfMeasure(recased)?.distinctUnit.toLowerCase()).toBe(parsed?.distinctUnit.toLowerCase());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CSV writer round trip', () => {
  const FORMULA_START = /^[=+\-@\t\r]/;
  // Text with the characters that matter to CSV and spreadsheets overrepresented, and any code point at all.
  const risky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', "'", ',', ';', ' ', 'a', 'é', '😀');
  const text = fc.oneof(
    fc.string({ unit: risky, maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 20 }).filter((value) => !value.includes('\0')),
  );
  const decimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.option(fc.nat({ max: 10 ** 9 }), { nil: null }))
    .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`);
  const row = fc.tuple(text, decimal, text);

  it('DuckDB reads every text cell back: neutralised exactly when it starts with = + - @ tab or CR', async () => {
    const generated = fc.sample(fc.array(row, { minLength: 1, maxLength: 40 }), { numRuns: 12, seed: 4180 });
    const records = generated.flat();
    const cells = records.map(([left, number, right]): CsvCell[] => [
      { type: 'text', value: left },
      { type: 'number', value: number },
      { type: 'text', value: right },
    ]);
    const path = join(dir, 'round-trip.csv');
    await writeFile(path, renderCsv(['left', 'number', 'right'], cells));
    const back = await wh.rows<{ left: string | null; number: string | null; right: string | null }>(
      `select * from read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
         columns = {'left': 'VARCHAR', 'number': 'VARCHAR', 'right': 'VARCHAR'}, strict_mode = true)`,
      { path },
    );
    expect(back).toHaveLength(records.length);
    const expectedText = (value: string): string | null => {
      if (value === '') return null; // an empty field is NULL to DuckDB
      return FORMULA_START.test(value) ? `'${value}` : value;
    };
    back.forEach((cell, index) => {
      const [left = '', number = '', right = ''] = records[index] ?? [];
      expect(cell.left, JSON.stringify(left)).toBe(expectedText(left));
      expect(cell.right, JSON.stringify(right)).toBe(expectedText(right));
      expect(cell.number).toBe(number);
      for (const value of [cell.left, cell.right]) expect(FORMULA_START.test(value ?? '')).toBe(false);
    });
  });

  it('the test reader agrees, for any string: text round-trips (neutralised by the rule), numbers unquoted', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (records) => {
        const rendered = renderCsv(
          ['left', 'number', 'right'],
          records.map(([left, number, right]): CsvCell[] => [
            { type: 'text', value: left },
            { type: 'number', value: number },
            { type: 'text', value: right },
          ]),
        );
        // CSV files start with the UTF-8 BOM by default (Excel); the reader takes the text after it
        expect(rendered.startsWith('\uFEFF')).toBe(true);
        const [header, ...parsed] = parseCsv(rendered.slice(1));
        expect(header).toEqual(['left', 'number', 'right']);
        expect(parsed).toEqual(
          records.map(([left, number, right]) => [
            FORMULA_START.test(left) ? `'${left}` : left,
            number,
            FORMULA_START.test(right) ? `'${right}` : right,
          ]),
        );
        // A negative number is written as a bare number, never quoted or prefixed.
        for (const [, number] of records) expect(rendered).toContain(`,${number},`);
        // A cell holding a list separator (',' or ';' or tab) is quoted whatever the spreadsheet's locale.
        for (const value of records.flatMap(([left, , right]) => [left, right]).filter((v) => /[,;\t]/.test(v))) {
          const written = FORMULA_START.test(value) ? `'${value}` : value;
          expect(rendered).toContain(`"${written.replaceAll('"', '""')}"`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
