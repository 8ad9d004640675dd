// The meter catalog: data/meter-catalog.csv says which billed meter is which canonical meter key, so adding a meter
// is a data change, not a code change. This module parses and validates the file and (re)loads table meter_catalog,
// plus table meter_key_unit from METERS so the SQL knows each key's unit without a second copy of the key list.
// Long because it holds the catalog's parser with a message for every way a row can be wrong, and its loader.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../db/warehouse.ts';
import { errorMessage, InputError, SqlError } from '../errors.ts';
import { loadRetailPrices } from './retail-prices.ts';
import { isMeterKey, METER_KEYS, METERS, type MeterDefinition, type MeterKey, type MeterUnitKind } from './meters.ts';

export const METER_CATALOG_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'meter-catalog.csv',
);

export const CATALOG_COLUMNS = [
  'priority',
  'meter_id',
  'category_pattern',
  'subcategory_pattern',
  'name_pattern',
  'verdict',
  'meter_key',
  'model',
  'media',
  'redundancy',
  'access_tier',
  'is_free_companion',
  'note',
] as const;

const MODELS = ['v2', 'v1', 'payg', 'disk'] as const;
const MEDIA = ['ssd', 'hdd', '*'] as const;
const REDUNDANCIES = ['lrs', 'zrs', 'grs', 'gzrs', 'ragrs', 'ragzrs', '*'] as const;
const ACCESS_TIERS = ['hot', 'cool', 'transaction_optimized', '*'] as const;
const VERDICTS = ['reconciled', 'not_reconciled', 'not_ours'] as const;
export type CatalogVerdict = (typeof VERDICTS)[number];
// Only these keys have '… Free' companion meters (billing-rules §8).
const KEYS_WITH_FREE_COMPANION: readonly MeterKey[] = ['v2.provisioned_iops', 'v2.provisioned_throughput'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface MeterCatalogRow {
  catalogLine: number;
  priority: number;
  meterId: string | null;
  categoryPattern: string | null;
  subcategoryPattern: string | null;
  namePattern: string | null;
  verdict: CatalogVerdict;
  /** Reconciled rows only. */
  meterKey: MeterKey | null;
  model: MeterDefinition['model'] | null;
  media: (typeof MEDIA)[number] | null;
  redundancy: (typeof REDUNDANCIES)[number] | null;
  accessTier: (typeof ACCESS_TIERS)[number] | null;
  isFreeCompanion: boolean;
  note: string | null;
}

/** Export units per key unit, and the time basis an export unit must have, for each kind of key unit. */
const KEY_UNIT: Record<MeterUnitKind, { blockSize: string; reciprocal: string; timeBasis: 'hour' | 'month' | 'none' }> =
  {
    hourly_units: { blockSize: '1', reciprocal: '1', timeBasis: 'hour' },
    monthly_units: { blockSize: '1', reciprocal: '1', timeBasis: 'month' },
    count_10k: { blockSize: '10000', reciprocal: '0.0001', timeBasis: 'none' },
    plain_gib: { blockSize: '1', reciprocal: '1', timeBasis: 'none' },
  };

interface CsvRecord {
  line: number;
  fields: string[];
}

/** Split catalog text into records: RFC 4180 quoting within one line, '#' comment lines and blank lines skipped. */
function readCsvRecords(text: string, path: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let i = 0;
    while (i < raw.length) {
      const ch = raw.charAt(i);
      if (quoted) {
        if (ch === '"' && raw.charAt(i + 1) === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"' && field === '') {
        quoted = true;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
      } else {
        field += ch;
      }
      i++;
    }
    if (quoted) throw new InputError(`${path}:${line}: unterminated quoted field (a field cannot span lines)`);
    fields.push(field);
    records.push({ line, fields });
  });
  return records;
}

function oneOf<T extends string>(values: readonly T[], value: string, where: string, column: string): T | null {
  if (value === '') return null;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${where}: ${column} '${value}' is not one of ${values.join(', ')}`);
}

/** Parse and validate the catalog text. Regular-expression syntax is checked by loadMeterCatalog (RE2, in DuckDB). */
export function parseMeterCatalog(text: string, path: string): MeterCatalogRow[] {
  const records = readCsvRecords(text, path);
  const header = records.shift();
  if (!header) throw new InputError(`${path}: the meter catalog is empty (expected a header row)`);
  const headerNames = header.fields.map((f) => f.trim().toLowerCase());
  if (headerNames.join(',') !== CATALOG_COLUMNS.join(',')) {
    throw new InputError(`${path}:${header.line}: header must be ${CATALOG_COLUMNS.join(',')}`);
  }
  const seenMeterIds = new Map<string, number>();
  const rows = records.map(({ line, fields }) => {
    const where = `${path}:${line}`;
    if (fields.length !== CATALOG_COLUMNS.length) {
      throw new InputError(`${where}: expected ${CATALOG_COLUMNS.length} fields, found ${fields.length}`);
    }
    const get = (column: (typeof CATALOG_COLUMNS)[number]): string =>
      (fields[CATALOG_COLUMNS.indexOf(column)] ?? '').trim();

    const priorityText = get('priority');
    if (!/^-?\d{1,9}$/.test(priorityText))
      throw new InputError(`${where}: priority '${priorityText}' is not an integer`);

    const verdict = oneOf(VERDICTS, get('verdict'), where, 'verdict');
    if (verdict === null) throw new InputError(`${where}: verdict is required (${VERDICTS.join(', ')})`);
    const freeText = get('is_free_companion').toLowerCase();
    if (freeText !== 'true' && freeText !== 'false') {
      throw new InputError(`${where}: is_free_companion '${get('is_free_companion')}' must be true or false`);
    }
    const isFreeCompanion = freeText === 'true';
    const media = oneOf(MEDIA, get('media').toLowerCase(), where, 'media');
    const redundancy = oneOf(REDUNDANCIES, get('redundancy').toLowerCase(), where, 'redundancy');
    const accessTier = oneOf(ACCESS_TIERS, get('access_tier').toLowerCase(), where, 'access_tier');

    let meterKey: MeterKey | null = null;
    let model: MeterDefinition['model'] | null = null;
    if (verdict === 'reconciled') {
      const keyText = get('meter_key');
      if (!isMeterKey(keyText)) throw new InputError(`${where}: meter_key '${keyText}' is not a canonical meter key`);
      meterKey = keyText;
      model = oneOf(MODELS, get('model'), where, 'model');
      if (model !== METERS[meterKey].model) {
        throw new InputError(
          `${where}: model '${get('model')}' does not match ${meterKey} (model ${METERS[meterKey].model})`,
        );
      }
      if (isFreeCompanion && !KEYS_WITH_FREE_COMPANION.includes(meterKey)) {
        throw new InputError(`${where}: ${meterKey} has no free companion meter`);
      }
    } else {
      const stated = (['meter_key', 'model', 'media', 'redundancy', 'access_tier'] as const).filter(
        (c) => get(c) !== '',
      );
      if (stated.length > 0 || isFreeCompanion) {
        throw new InputError(
          `${where}: a ${verdict} row maps to no meter key; leave ${[...stated, ...(isFreeCompanion ? ['is_free_companion'] : [])].join(', ')} empty (false)`,
        );
      }
    }

    const meterId = get('meter_id').toLowerCase() || null;
    const categoryPattern = get('category_pattern') || null;
    const subcategoryPattern = get('subcategory_pattern') || null;
    const namePattern = get('name_pattern') || null;
    const hasPattern = categoryPattern !== null || subcategoryPattern !== null || namePattern !== null;
    if (meterId !== null) {
      if (!GUID.test(meterId)) throw new InputError(`${where}: meter_id '${meterId}' is not a GUID`);
      if (hasPattern)
        throw new InputError(`${where}: a meter_id row matches on the id alone; leave the patterns empty`);
      // One meter id covers several skus, both Files and Files v2, and several regions (SOURCES.md): the id alone
      // never says the media, redundancy or tier.
      const fixed = (
        [
          ['media', media],
          ['redundancy', redundancy],
          ['access_tier', accessTier],
        ] as const
      ).filter(([, value]) => value !== null && value !== '*');
      if (fixed.length > 0) {
        throw new InputError(
          `${where}: a meter id is not unique to a sku, so a meter_id row cannot fix ${fixed.map(([c]) => c).join(', ')}; use * (read from the line) or leave it empty`,
        );
      }
      const earlier = seenMeterIds.get(meterId);
      if (earlier !== undefined)
        throw new InputError(`${where}: meter_id ${meterId} is already mapped on line ${earlier}`);
      seenMeterIds.set(meterId, line);
    } else if (!hasPattern) {
      throw new InputError(`${where}: a row needs a meter_id or at least one pattern`);
    }

    return {
      catalogLine: line,
      priority: Number(priorityText), // an integer of at most 9 digits, checked above: safe as a JS number
      meterId,
      categoryPattern,
      subcategoryPattern,
      namePattern,
      verdict,
      meterKey,
      model,
      media,
      redundancy,
      accessTier,
      isFreeCompanion,
      note: get('note') || null,
    } satisfies MeterCatalogRow;
  });
  if (rows.length === 0) throw new InputError(`${path}: the meter catalog has no rows`);
  return rows;
}

/** Check each pattern compiles as RE2 (DuckDB's regexp engine), naming the line of the first that does not. */
async function checkPatterns(wh: Warehouse, rows: readonly MeterCatalogRow[], path: string): Promise<void> {
  for (const row of rows) {
    const patterns = [
      ['category_pattern', row.categoryPattern],
      ['subcategory_pattern', row.subcategoryPattern],
      ['name_pattern', row.namePattern],
    ] as const;
    for (const [column, pattern] of patterns) {
      if (pattern === null) continue;
      try {
        await wh.run("select regexp_matches('', $pattern, 'i')", { pattern }, { stage: 'meter catalog' });
      } catch (error) {
        const reason = error instanceof SqlError && error.cause instanceof Error ? error.cause.message : String(error);
        throw new InputError(
          `${path}:${row.catalogLine}: ${column} '${pattern}' is not a valid RE2 pattern: ${reason}`,
        );
      }
    }
  }
}

/** (Re)write meter_key_unit from METERS: the unit of every meter key, for every stage that names one. */
async function writeMeterKeyUnits(wh: Warehouse): Promise<void> {
  const stage = { stage: 'meter catalog' };
  await wh.run('delete from meter_key_unit', undefined, stage);
  for (const key of METER_KEYS) {
    const { model, unitKind, unit } = METERS[key];
    const keyUnit = KEY_UNIT[unitKind];
    await wh.run(
      `insert into meter_key_unit values
         ($key, $model, $unitKind, $unit, $blockSize::decimal(38, 10), $reciprocal::decimal(38, 10), $timeBasis)`,
      { key, model, unitKind, unit, ...keyUnit },
      stage,
    );
  }
}

/**
 * Load the meter catalog unless this warehouse holds it already (with the units of today's meter keys): a stage that
 * maps lines to meter keys (billed, and a dispute pack over a warehouse whose billed stage never ran) reads it.
 */
export async function ensureMeterCatalog(wh: Warehouse): Promise<void> {
  const row = await wh.row<{ catalog_rows: string; key_units: string }>(
    `select (select count(*) from meter_catalog)::varchar as catalog_rows,
            (select count(*) from meter_key_unit)::varchar as key_units`,
    undefined,
    { stage: 'meter catalog' },
  );
  if (row?.catalog_rows !== '0' && row?.key_units === String(METER_KEYS.length)) return;
  await loadMeterCatalog(wh);
}

/** (Re)load the meter catalog into meter_catalog (and meter_key_unit). Returns the number of catalog rows. */
export async function loadMeterCatalog(wh: Warehouse, csvPath: string = METER_CATALOG_PATH): Promise<number> {
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (error) {
    throw new InputError(`${csvPath}: cannot read the meter catalog: ${errorMessage(error)}`);
  }
  const rows = parseMeterCatalog(text, csvPath);
  await checkPatterns(wh, rows, csvPath);

  const stage = { stage: 'meter catalog' };
  await wh.transaction('meter catalog', async () => {
    await wh.run('delete from meter_catalog', undefined, stage);
    await writeMeterKeyUnits(wh);
    for (const row of rows) {
      await wh.run(
        `insert into meter_catalog values ($catalogLine, $priority, $meterId, $categoryPattern, $subcategoryPattern,
           $namePattern, $verdict, $meterKey, $model, $media, $redundancy, $accessTier, $isFreeCompanion, $note, $sourcePath,
           now()::timestamp)`,
        { ...row, sourcePath: csvPath },
        stage,
      );
    }
  });
  await loadRetailPrices(wh);
  return rows.length;
}
