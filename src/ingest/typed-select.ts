// Builds the one statement that reads a file and converts it into typed billing fields plus, per row, the list of
// problems that send it to the quarantine. Its source is the reader itself (read_csv or read_parquet, text columns
// c001…cNNN, one per header column): the text columns are never stored, only what they convert to, and the raw
// text of a row is rebuilt only for a row with a problem (issue 14: a text staging table of a 900 MB file cost as
// much as its conversion). The table keeps the file's order; a row's rowid is its position in the file.
// The column list comes only from the dialect mapping table (dialects.ts) and positional staging names that
// this module makes up; nothing from the file's data is spliced into SQL.
import { quoteIdentifier, quoteLiteral } from '../db/quote.ts';
import { DIALECTS, FIELD_KINDS, type ColumnMap, type FieldKind, type SourceField } from './dialects.ts';

/** Positional staging column name for header position `index` (0-based). */
export function stageColumn(index: number): string {
  return `c${String(index + 1).padStart(3, '0')}`;
}

/** The `columns={…}` struct for read_csv: every staged column is text. */
function stageColumnsStruct(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `${quoteLiteral(stageColumn(i))}: 'VARCHAR'`);
  return `{${entries.join(', ')}}`;
}

/** select list that stages a Parquet file positionally: #1::varchar as c001, … */
function parquetStageList(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `cast(#${i + 1} as varchar) as ${quoteIdentifier(stageColumn(i))}`,
  ).join(', ');
}

/**
 * A charge time from export text: only the shapes exports write, else NULL; an offset is dropped, not applied
 * (sql/ingest/ingest_checks.sql ingest_charge_timestamp: the day a person reads is the usage day).
 */
const timestampOf = (s: string): string => `case when ingest_is_date_text(${s}) then ingest_charge_timestamp(${s}) end`;
/** An EA/MCA Date is a daily row: the calendar day as written, whatever time it carries. */
const dayOf = (s: string): string => `date_trunc('day', ${timestampOf(s)})::timestamp`;

const CONVERT: Record<FieldKind, (source: string) => string> = {
  text: (s) => `nullif(${s}, '')`,
  lower_text: (s) => `lower(nullif(trim(${s}), ''))`,
  // One key per resource (sql/ingest/model_macros.sql normalised_resource_id: case, surrounding spaces, a trailing '/').
  resource_id: (s) => `normalised_resource_id(${s})`,
  decimal: (s) => `ingest_exact_decimal(${s})`,
  timestamp: timestampOf,
  tags: (s) => `ingest_json_object(ingest_tags_text(${s}))`,
  json: (s) => `ingest_json_object(nullif(trim(${s}), ''))`,
};

// What a field that does not convert is; decimals say more (sql/ingest/ingest_checks.sql ingest_decimal_problem).
const FAILURE: Record<FieldKind, string | null> = {
  text: null,
  lower_text: null,
  resource_id: null,
  decimal: null,
  timestamp: 'not a date/time',
  tags: 'not a JSON object',
  json: 'not a JSON object',
};

/**
 * Columns that describe a charge but do not enter the reconciliation: one that cannot be read is NULL in
 * billing_line, its text is kept in descriptive_field_problem, and the row stays (a charge is never set aside for
 * its tags). Every other column that fails to convert sends the row to the quarantine.
 */
const PROBLEM_TYPE = 'struct(column_name varchar, problem varchar, raw_text varchar)';
const DESCRIPTIVE: ReadonlySet<SourceField> = new Set<SourceField>(['tags', 'additional_info', 'unit_price']);
/**
 * Text that only names or places a charge (and every column recon does not map): a byte in it that is no UTF-8
 * character is a descriptive problem, the text kept with U+FFFD in its place. In any other column (ids, meters,
 * units, money, dates, charge types) the value cannot be trusted, and the row is quarantined.
 */
const NAMING: ReadonlySet<SourceField> = new Set<SourceField>([
  ...DESCRIPTIVE,
  'resource_name',
  'resource_group',
  'resource_location',
]);
/** What file-ingest.ts put where a byte sequence was no UTF-8 character. */
const REPLACEMENT = quoteLiteral('\ufffd');
const NOT_UTF8_KEPT = quoteLiteral('not UTF-8 text: the bytes that are no character are kept as U+FFFD');
const NOT_UTF8 = 'not UTF-8 text (a byte that is no character, as a Latin-1 or Windows-1252 re-save writes)';

export interface TypedTableOptions {
  /** The file's bytes were not all UTF-8 and were read with U+FFFD in their place (file-ingest.ts). */
  isUtf8Replaced: boolean;
  /** The delivery's granularity is Monthly: an EA/MCA row charges its whole month. */
  monthly: boolean;
  /** The rows to convert, in file order: a relation of the text columns c001…cNNN (csvSource, parquetSource). */
  source: string;
}

/**
 * A CSV file's records as text columns, in file order: `$1` is the path. Explicit options, nothing sniffed:
 * header=false keeps the header as row 0 (stageCsvFrom removes it) so that a row's position among the rows DuckDB
 * accepted — its rowid in ingest_typed, which the table keeps in file order as DuckDB keeps insertion order — is
 * what ingest_record_line.sql turns into a line. No row_number() here: it would make DuckDB read and convert the
 * file on one thread. Rows the reader cannot split go to the reject tables.
 */
export function csvSource(columnCount: number, options: { gzip: boolean; maxLineSize: number }): string {
  return `read_csv($1,
      header = false, auto_detect = false, all_varchar = true,
      delim = ',', quote = '"', escape = '"', compression = ${options.gzip ? "'gzip'" : "'none'"},
      columns = ${stageColumnsStruct(columnCount)},
      max_line_size = ${options.maxLineSize},
      store_rejects = true, rejects_table = 'ingest_reject_errors', rejects_scan = 'ingest_reject_scans')`;
}

/** A Parquet file's rows as text columns, positionally (`$1` is the path), in file order (rowid = row number). */
export function parquetSource(columnCount: number): string {
  return `(select ${parquetStageList(columnCount)} from read_parquet($1))`;
}

const FIELDS = Object.keys(FIELD_KINDS) as SourceField[];

function src(field: SourceField): string {
  return quoteIdentifier(`src_${field}`);
}

/** The source column's name as the file spells it (else as the dialect's table does), for messages. */
function columnLabel(map: ColumnMap, field: SourceField): string {
  return map.names[field] ?? DIALECTS[map.dialect].columns[field]?.[0] ?? field;
}

function present(field: SourceField): string {
  return `nullif(trim(${src(field)}), '') is not null`;
}

/**
 * `create or replace temp table ingest_typed as …` for a file with this header. `monthly`: the delivery's manifest
 * says granularity Monthly, so an EA/MCA row's Date stands for its whole month: the charge period runs from Date to
 * the first of the next month (FOCUS rows state their own ChargePeriodStart/End).
 */
export function typedTableSql(map: ColumnMap, header: readonly string[], options: TypedTableOptions): string {
  const columnCount = header.length;
  const replaced = options.isUtf8Replaced;
  const hasReplacement = (text: string): string => `contains(${text}, ${REPLACEMENT})`;
  const sourceList = FIELDS.map((field) => {
    const position = map.positions[field];
    const expr = position === undefined ? 'cast(null as varchar)' : `s.${quoteIdentifier(stageColumn(position))}`;
    return `${expr} as ${src(field)}`;
  });

  const daily = map.dialect !== 'focus';
  const converted = FIELDS.filter((f) => f !== 'charge_date').map((field) => {
    if (field === 'charge_period_start' && daily) return `${dayOf(src('charge_date'))} as charge_period_start`;
    if (field === 'charge_period_end' && daily && options.monthly)
      return `date_trunc('month', ${dayOf(src('charge_date'))})::timestamp + interval 1 month as charge_period_end`;
    if (field === 'charge_period_end' && daily)
      return `${dayOf(src('charge_date'))} + interval 1 day as charge_period_end`;
    // EA/MCA have no ChargeClass: a Refund is FOCUS's Correction (finops-toolkit focus/mapping.md).
    if (field === 'charge_class' && map.positions.charge_class === undefined)
      return `case when is_correction(null, ${src('charge_type')}) then 'Correction' end as charge_class`;
    return `${CONVERT[FIELD_KINDS[field]](src(field))} as ${quoteIdentifier(field)}`;
  });

  const problems: string[] = [];
  const descriptive: string[] = [];
  for (const field of FIELDS) {
    if (map.positions[field] === undefined) continue;
    const kind = FIELD_KINDS[field];
    const problemsOf = (expressions: string[]): void => {
      // In a file read with U+FFFD, a replaced byte is the column's one problem (what else fails follows from it).
      const column = src(field);
      if (replaced && NAMING.has(field)) {
        const struct = `{'column_name': ${quoteLiteral(columnLabel(map, field))}, 'problem': ${NOT_UTF8_KEPT}, 'raw_text': ${column}}`;
        descriptive.push(`case when ${hasReplacement(column)} then ${struct} else ${expressions[0] ?? 'null'} end`);
      } else if (replaced) {
        const label = quoteLiteral(`${columnLabel(map, field)}: ${NOT_UTF8}: `);
        problems.push(
          `case when ${hasReplacement(column)} then ${label} || left(${column}, 100) else ${expressions[0] ?? 'null'} end`,
        );
      } else if (expressions[0] !== undefined) (DESCRIPTIVE.has(field) ? descriptive : problems).push(expressions[0]);
    };
    if (DESCRIPTIVE.has(field)) {
      const problem =
        kind === 'decimal' ? `ingest_decimal_problem(${src(field)})` : quoteLiteral(FAILURE[kind] ?? 'unreadable');
      const failed = kind === 'decimal' ? `${problem} is not null` : `${quoteIdentifier(field)} is null`;
      problemsOf([
        `case when ${present(field)} and ${failed} then {'column_name': ${quoteLiteral(columnLabel(map, field))}, 'problem': ${problem}, 'raw_text': ${src(field)}} end`,
      ]);
      continue;
    }
    if (kind === 'decimal') {
      // Not a number, too large, or more digits than DECIMAL(38,28) keeps: each said as such.
      const column = quoteLiteral(`${columnLabel(map, field)}: `);
      problemsOf([
        `case when ${present(field)} then ${column} || ingest_decimal_problem(${src(field)}) || ': ' || left(${src(field)}, 100) end`,
      ]);
      continue;
    }
    const failure = FAILURE[kind];
    if (failure === null) {
      problemsOf([]);
      continue;
    }
    const target = field === 'charge_date' ? 'charge_period_start' : field;
    const label = quoteLiteral(`${columnLabel(map, field)}: ${failure}: `);
    problemsOf([
      `case when ${present(field)} and ${quoteIdentifier(target)} is null then ${label} || left(${src(field)}, 100) end`,
    ]);
  }
  // Columns recon does not map only describe the charge.
  const mapped = new Set(Object.values(map.positions));
  const unmapped: string[] = [];
  if (replaced) {
    header.forEach((name, i) => {
      if (mapped.has(i)) return;
      const column = `s.${quoteIdentifier(stageColumn(i))}`;
      unmapped.push(
        `case when ${hasReplacement(column)} then {'column_name': ${quoteLiteral(name)}, 'problem': ${NOT_UTF8_KEPT}, 'raw_text': ${column}} end`,
      );
    });
  }
  unmapped.push(`cast(null as ${PROBLEM_TYPE})`);
  // Required values: a charge period, a quantity and a cost (checked on the source text, so a value that
  // failed conversion is reported once, as unconvertible, not also as missing).
  const required: SourceField[] = [daily ? 'charge_date' : 'charge_period_start', 'quantity', 'cost'];
  if (!daily) required.push('charge_period_end');
  for (const field of required) {
    problems.push(`case when not (${present(field)}) then ${quoteLiteral(`${columnLabel(map, field)}: missing`)} end`);
  }
  problems.push(
    `case when meter_id is null and nullif(trim(${src('meter_name')}), '') is null then ${quoteLiteral(
      `${columnLabel(map, 'meter_id')}/${columnLabel(map, 'meter_name')}: missing (no meter)`,
    )} end`,
  );
  if (!daily) {
    problems.push(
      `case when charge_period_end <= charge_period_start then ${quoteLiteral(
        'ChargePeriodEnd: not after ChargePeriodStart',
      )} end`,
    );
  }
  // A Files or snapshot usage charge without a resource cannot be attributed to a share, account or snapshot (the
  // diff's keys would be NULL). Non-usage charge types (is_non_usage_charge_type) may lack one: the billed stage
  // ignores them.
  problems.push(
    `case when billing_resource_id is null
       and is_files_or_snapshot_meter(meter_category, meter_subcategory, meter_name, product_name)
       and not is_non_usage_charge_type(charge_type)
     then ${quoteLiteral(`${columnLabel(map, 'billing_resource_id')}: missing on a Files or snapshot meter: the charge cannot be attributed`)} end`,
  );
  // Usage is never negative; refunds and corrections are (EA/MCA ChargeType Refund, FOCUS ChargeClass Correction).
  problems.push(
    `case when quantity < 0 and lower(trim(charge_type)) = 'usage' and not is_correction(charge_class, charge_type)
     then ${quoteLiteral(`${columnLabel(map, 'quantity')}: negative on a usage line that is not a refund or correction: `)} || ${src('quantity')} end`,
  );

  const rawText = Array.from({ length: columnCount }, (_, i) => `csv_cell(c.${quoteIdentifier(stageColumn(i))})`);

  // Every CTE is read once, so DuckDB inlines them all: one pass from the reader to the typed table.
  return `create or replace temp table ingest_typed as
with source as (
  select s.*, ${sourceList.join(',\n    ')},
    list_filter([${unmapped.join(',\n    ')}], p -> p is not null) as unmapped_problems
  from ${options.source} as s
),

converted as (
  select *,
    ${converted.join(',\n    ')}
  from source
),

checked as (
  select *, list_filter([
    ${problems.join(',\n    ')}
  ], p -> p is not null) as problems,
  list_concat(list_filter([
    ${[...descriptive, `cast(null as ${PROBLEM_TYPE})`].join(',\n    ')}
  ], p -> p is not null), unmapped_problems) as descriptive_problems
  from converted
),

final as (
  select
    ${FIELDS.filter((f) => f !== 'charge_date')
      .map((f) => `c.${quoteIdentifier(f)}`)
      .join(', ')},
    case when len(c.problems) > 0 then array_to_string(c.problems, '; ') end as reason,
    c.descriptive_problems,
    -- Only a quarantined row keeps its text (the CASE rebuilds it for those rows alone).
    case when len(c.problems) > 0 then concat_ws(',', ${rawText.join(', ')}) end as raw_text
  from checked as c
)

select * from final`;
}
