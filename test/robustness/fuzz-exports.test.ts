// Property tests of what recon reads first from an export: the header (parseHeader → detectDialect → mapColumns),
// the manifest (parseManifest), number text (ingest_decimal_problem) and, end to end, mutated CSV files. Each
// property says: a typed result or an InputError naming the file; never another exception. Runs are bounded so
// the file stays well under 20 s on two cores.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { DIALECTS, detectDialect, mapColumns, type ColumnMap, type SourceField } from '../../src/ingest/dialects.ts';
import { parseHeader } from '../../src/ingest/header.ts';
import { ingestExports } from '../../src/ingest/index.ts';
import { parseManifest, type Manifest } from '../../src/ingest/manifest.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'robustness', 'exports');
const headerOf = async (name: string): Promise<string[]> =>
  (await readFile(join(FIXTURES, name), 'utf8')).trimEnd().split('\n')[0]?.split(',') ?? [];

const TEMPLATE = await readFile(join(FIXTURES, 'ea-template.csv'));
const REAL_HEADERS: Record<string, string[]> = {
  'EA as real files write it': (TEMPLATE.toString('utf8').split('\n')[0] ?? '').split(','),
  'EA 2024-08-01': await headerOf('headers/ea-2024-08-01.csv'),
  'MCA 2023-12-01-preview': await headerOf('headers/mca-2023-12-01-preview.csv'),
  'FOCUS 1.0': await headerOf('headers/focus-1.0.csv'),
};
const MANIFEST_TEXT = await readFile(join(FIXTURES, 'manifest-template.json'), 'utf8');
const FILE = 'exports/part_0_0001.csv';
const MANIFEST = 'exports/run/manifest.json';

/** Runs `work`; an exception must be an InputError whose message starts with `file`. */
function typedOrInputError<T>(file: string, work: () => T): T | InputError {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    return error;
  }
}

/** Every mapped position points at a header column whose name is one of the field's source names. */
function checkMap(header: readonly string[], map: ColumnMap): void {
  for (const [field, position] of Object.entries(map.positions) as [SourceField, number][]) {
    const sources = (DIALECTS[map.dialect].columns[field] ?? []).map((name) => name.toLowerCase());
    expect(sources).toContain(header[position]?.trim().toLowerCase());
  }
}

/** Field → the (lower-cased) column name it is read from. */
function mappedNames(header: readonly string[], map: ColumnMap): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(map.positions).map(([field, position]) => [field, header[position]?.trim().toLowerCase()]),
  );
}

const ALL_NAMES = [...new Set(Object.values(REAL_HEADERS).flat())];
// Header bytes built from what real and broken headers are made of.
const headerToken = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ALL_NAMES).map((name) => Buffer.from(name)) },
  { weight: 4, arbitrary: fc.constantFrom(',', ',', '"', '""', ';', '\t', ' ', '\r').map((t) => Buffer.from(t)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xe9]),
      Buffer.from([0x00]),
      Buffer.from([0x1f, 0x8b]),
      Buffer.from('10/01/2026'),
      Buffer.from('0.0000370'),
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)) },
);
const headerBytes = fc.array(headerToken, { maxLength: 120 }).map((tokens) => Buffer.concat(tokens));

describe('header detection under fuzzing', () => {
  it('arbitrary header bytes give columns and a column map, or an InputError naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          headerBytes,
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        ),
        (bytes) => {
          const header = typedOrInputError(FILE, () => parseHeader(FILE, bytes));
          if (header instanceof InputError) return;
          expect(Array.isArray(header) && header.every((name) => typeof name === 'string')).toBe(true);
          const map = typedOrInputError(FILE, () => mapColumns(FILE, header));
          if (!(map instanceof InputError)) checkMap(header, map);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('detectDialect takes any list of names', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...ALL_NAMES))), (names) => {
        expect([null, 'ea', 'mca', 'focus']).toContain(detectDialect(names));
      }),
      { numRuns: 200 },
    );
  });

  it('a real header maps identically whatever its column order, letter case, quoting, BOM and line end', () => {
    const variant = fc.record({
      dialect: fc.constantFrom(...Object.keys(REAL_HEADERS)),
      order: fc.array(fc.double({ noNaN: true }), { minLength: 110, maxLength: 110 }),
      cases: fc.array(fc.constantFrom('keep', 'upper', 'lower', 'flip'), { minLength: 110, maxLength: 110 }),
      quoted: fc.array(fc.boolean(), { minLength: 110, maxLength: 110 }),
      bom: fc.boolean(),
      cr: fc.boolean(),
    });
    fc.assert(
      fc.property(variant, ({ dialect, order, cases, quoted, bom, cr }) => {
        const original = REAL_HEADERS[dialect] ?? [];
        const expected = mapColumns(FILE, original);
        const shuffled = original
          .map((name, i) => ({ name, key: order[i] ?? 0, i }))
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map(({ name }, i) => {
            const cased =
              cases[i] === 'upper'
                ? name.toUpperCase()
                : cases[i] === 'lower'
                  ? name.toLowerCase()
                  : cases[i] === 'flip'
                    ? name.replace(/[a-z]/gi, (ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()))
                    : name;
            return quoted[i] ? `"${cased}"` : cased;
          });
        const text = `${bom ? '\ufeff' : ''}${shuffled.join(',')}${cr ? '\r' : ''}`;
        const header = parseHeader(FILE, Buffer.from(text));
        const map = mapColumns(FILE, header);
        expect(map.dialect).toBe(expected.dialect);
        expect(mappedNames(header, map)).toEqual(mappedNames(original, expected));
      }),
      { numRuns: 150 },
    );
  });
});

/** Field paths of the manifest and their parents, as messages name them. */
const MANIFEST_FIELDS = [
  'manifestVersion',
  'byteCount',
  'blobCount',
  'dataRowCount',
  'exportConfig',
  'exportConfig.exportName',
  'exportConfig.resourceId',
  'exportConfig.type',
  'exportConfig.dataVersion',
  'exportConfig.granularity',
  'runInfo',
  'runInfo.runId',
  'runInfo.submittedTime',
  'runInfo.startDate',
  'blobs',
  'blobs[0]',
  'blobs[0].blobName',
  'blobs[0].byteCount',
  'blobs[0].dataRowCount',
] as const;

function setPath(root: Record<string, unknown>, path: string, value: unknown, remove: boolean): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: unknown = root;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  const last = keys.at(-1);
  if (node === null || typeof node !== 'object' || last === undefined) return;
  if (remove) Reflect.deleteProperty(node, last);
  else Reflect.set(node, last, value);
}

/** A manifest parsed without complaint holds only well-typed values and followable blob names. */
function checkManifest(manifest: Manifest): void {
  for (const key of ['manifestVersion', 'exportName', 'resourceId', 'datasetType', 'dataVersion', 'runId'] as const) {
    expect(manifest[key] === null || typeof manifest[key] === 'string').toBe(true);
  }
  for (const key of ['byteCount', 'blobCount', 'dataRowCount'] as const) {
    const value = manifest[key];
    expect(value === null || (Number.isSafeInteger(value) && value >= 0)).toBe(true);
  }
  expect([null, 'daily', 'monthly']).toContain(manifest.granularity);
  expect(manifest.startMonth === null || /^\d{4}-(0[1-9]|1[0-2])$/.test(manifest.startMonth)).toBe(true);
  for (const blob of manifest.blobs) {
    expect(typeof blob.blobName).toBe('string');
    expect(blob.blobName.split(/[/\\]/).some((segment) => segment.trim() === '..')).toBe(false);
  }
}

const safeSegment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_ .-]{0,11}$/).filter((s) => s.trim() !== '..');

describe('manifest reader under fuzzing', () => {
  it('any JSON value is a Manifest or an InputError naming the file, never a TypeError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = typedOrInputError(MANIFEST, () => parseManifest(MANIFEST, JSON.stringify(value)));
        if (!(result instanceof InputError)) checkManifest(result);
      }),
      { numRuns: 300 },
    );
  });

  it('text that is not JSON is refused with the line and column where it breaks', () => {
    const broken = fc.oneof(
      fc.string(),
      fc.nat({ max: MANIFEST_TEXT.length }).map((cut) => MANIFEST_TEXT.slice(0, cut)),
      fc
        .tuple(fc.nat({ max: MANIFEST_TEXT.length }), fc.constantFrom('}', ',', '"', 'x', '\n', '{'))
        .map(([at, ch]) => `${MANIFEST_TEXT.slice(0, at)}${ch}${MANIFEST_TEXT.slice(at)}`),
    );
    fc.assert(
      fc.property(broken, (text) => {
        const result = typedOrInputError(MANIFEST, () => parseManifest(MANIFEST, text));
        if (!(result instanceof InputError)) {
          checkManifest(result);
          return;
        }
        const isJson = ((): boolean => {
          try {
            JSON.parse(text);
            return true;
          } catch {
            return false;
          }
        })();
        if (!isJson) {
          expect(result.message).toMatch(
            /^exports\/run\/manifest\.json: line \d+: manifest is not valid JSON at column \d+: /,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a mutated real manifest is a Manifest or an InputError naming the mutated field', () => {
    const mutation = fc.record({
      field: fc.constantFrom(...MANIFEST_FIELDS),
      remove: fc.boolean(),
      value: fc.oneof(
        fc.jsonValue(),
        fc.constantFrom('', ' ', '..', '../x.csv', -1, 1.5, 2 ** 60, '2026-13-01', '2026-10-01T00:00:00Z', [], {}),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const manifest = JSON.parse(MANIFEST_TEXT) as Record<string, unknown>;
        for (const { field, value, remove } of mutations) setPath(manifest, field, value, remove);
        const result = typedOrInputError(MANIFEST, () => parseManifest(MANIFEST, JSON.stringify(manifest)));
        if (!(result instanceof InputError)) {
          checkManifest(result);
          return;
        }
        // The message names a mutated field, or the object or list that holds one.
        const named = mutations.some(({ field }) => {
          const parts = [field, field.replace(/\.[^.]+$/, ''), field.replace(/\[\d+\].*$/, '')];
          return parts.some((part) => result.message.includes(part));
        });
        expect(named, result.message).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a blob name that leads out of the export folder is always refused; a relative one never is', () => {
    const escaping = fc
      .tuple(
        fc.array(safeSegment, { maxLength: 4 }),
        fc.nat(),
        fc.constantFrom('..', ' ..', '.. ', '..'),
        fc.constantFrom('/', '\\'),
        fc.constantFrom('', '/', '\\', 'C:\\', 'c:/', '\\\\server\\share\\'),
      )
      .map(([segments, at, dots, separator, prefix]) => {
        const parts = [...segments];
        // Either a '..' segment somewhere, or (when the prefix is absolute) none needed.
        if (prefix === '' || at % 2 === 0) parts.splice(at % (parts.length + 1), 0, dots);
        return `${prefix}${[...parts, 'part_0_0001.csv'].join(separator)}`;
      });
    const template = JSON.parse(MANIFEST_TEXT) as { blobs: { blobName: string }[] };
    const withBlob = (blobName: string): string => JSON.stringify({ ...template, blobs: [{ blobName }] });
    fc.assert(
      fc.property(escaping, (blobName) => {
        expect(() => parseManifest(MANIFEST, withBlob(blobName))).toThrow(/blobs\[0\]\.blobName .* is refused: /);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.array(safeSegment, { minLength: 1, maxLength: 5 }), (segments) => {
        const blobName = `${segments.join('/')}/part_0_0001.csv`;
        expect(parseManifest(MANIFEST, withBlob(blobName)).blobs[0]?.blobName).toBe(blobName.trim());
      }),
      { numRuns: 100 },
    );
  });
});

describe('number text and whole files under fuzzing (DuckDB)', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openTestWarehouse();
    await wh.runFile('ingest/ingest_checks.sql');
  });
  afterAll(() => {
    wh.close();
  });

  it('a number is either kept exactly (never through a double) or quarantined with the reason', async () => {
    const numberText = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{1,40}$/),
        fc.nat({ max: 40 }),
        fc.option(fc.integer({ min: -45, max: 45 }), { nil: undefined }),
        fc.constantFrom('e', 'E'),
      )
      .map(([sign, digits, point, exponent, e]) => {
        const at = Math.min(point, digits.length);
        const mantissa = at === digits.length ? digits : `${digits.slice(0, at)}.${digits.slice(at)}`;
        return `${sign}${mantissa}${exponent === undefined ? '' : `${e}${exponent}`}`;
      });
    await fc.assert(
      fc.asyncProperty(numberText, async (text) => {
        const row = await wh.row<{ problem: string | null; value: string | null }>(
          'select ingest_decimal_problem($1) as problem, ingest_exact_decimal($1)::varchar as value',
          [text],
        );
        const exact = new Decimal(text);
        const fits = exact.abs().lt(1e10) && exact.decimalPlaces() <= 28;
        if (fits) {
          expect(row).toEqual({ problem: null, value: exact.toFixed(28) });
        } else {
          expect(row?.problem).toMatch(/^(out of range|more than 28 fractional digits)/);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('a CSV export with random byte damage is ingested with every row accounted for, or refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recon-fuzz-exports-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const damage = fc.array(
      fc.record({
        at: fc.nat({ max: TEMPLATE.length }),
        remove: fc.nat({ max: 3 }),
        insert: fc.constantFrom('"', ',', '\n', '\r\n', '\r', '""', '\u00e9', 'E', '1e30', ';', '\t', '-'),
        latin1: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (edits) => {
        let bytes = Buffer.from(TEMPLATE);
        for (const { at, remove, insert, latin1 } of edits) {
          const start = Math.min(at, bytes.length);
          const inserted = Buffer.from(insert, latin1 ? 'latin1' : 'utf8');
          bytes = Buffer.concat([bytes.subarray(0, start), inserted, bytes.subarray(start + remove)]);
        }
        const path = join(dir, `damaged-${n++}.csv`);
        await writeFile(path, bytes);
        const lines = bytes.toString('latin1').split('\n').length;
        // One warehouse for all runs: each damaged file is its own delivery, counted by its id.
        const report = await ingestExports(wh, [path]).catch((error: unknown) => {
          if (!(error instanceof InputError)) throw error;
          expect(error.message.startsWith(`${path}: `), error.message).toBe(true);
          return null;
        });
        if (report === null) return;
        expect(report.rowsRead).toBe(report.rowsIngested + report.rowsQuarantined);
        const stored = await wh.row<{ lines: string; quarantined: string; bad: string }>(
          `select (select count(*) from billing_line where delivery_id = $id) as lines,
                  (select count(*) from quarantine where delivery_id = $id) as quarantined,
                  (select count(*) from quarantine
                   where delivery_id = $id and (source_line not between 2 and $lines or reason = '')) as bad`,
          { id: report.deliveries[0]?.deliveryId ?? '', lines },
        );
        expect(stored).toEqual({
          lines: String(report.rowsIngested),
          quarantined: String(report.rowsQuarantined),
          bad: '0',
        });
      }),
      { numRuns: 40 },
    );
  });
});
