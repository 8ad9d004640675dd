// `recon explain <finding_id>`: how a finding's figures were derived, as plain text for a terminal or a support
// case — the finding, the rule and month length, each share's (snapshot's) intervals that contributed, the exact
// arithmetic (numerator / denominator), and the billed evidence. Every number is a decimal string from DuckDB; the
// text rounds the figures for a person (src/output/format.ts) and keeps the arithmetic's integers exact (grouped);
// explainFindingJson carries every value exactly.
// Long because it renders every finding kind's derivation; the queries live in sql/diff/explain_*.sql.
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import {
  canonicalDecimal,
  formatCount,
  formatDecimal,
  formatExact,
  formatMoney,
  formatQuantity,
  isDecimalText,
} from '../output/format.ts';
import { isMeterKey } from '../billing/meters.ts';
import { exportRelativePath, periodText } from '../output/azure-terms.ts';
import { RECOMPUTE_RULES } from '../recompute/rules.ts';
import type { PublicFinding } from '../report/finding.ts';

interface FindingDetail extends PublicFinding {
  rule: string | null;
  unit_convention: string | null;
  evidence: string | null;
  run_id: string;
  expected_rule: string | null;
  expected_usage_quantity: string | null;
  quantity_numerator: string | null;
  quantity_denominator: string | null;
  numerator_unit: string | null;
  days_in_month: number | null;
  source_count: number | null;
  unknown_seconds: string | null;
  is_complete: boolean | null;
  is_open_ended: boolean | null;
  covered_seconds: string | null;
  meter_unit: string | null;
  unit_kind: string | null;
}

interface SourceInterval {
  source_kind: string;
  source_resource_id: string;
  rule: string;
  quantity: string;
  quantity_numerator: string;
  quantity_denominator: string;
  numerator_unit: string;
  covered_seconds: string | null;
  unknown_seconds: string;
  is_complete: boolean;
  interval_id: string | null;
  state: string;
  valid_from: string | null;
  valid_to: string | null;
  covered_to: string | null;
  billing_model: string | null;
  media_tier: string | null;
  redundancy: string | null;
  access_tier: string | null;
  provisioned_gib: string | null;
  provisioned_iops: string | null;
  provisioned_mibps: string | null;
  used_bytes: string | null;
  snapshot_differential_bytes: string | null;
  metadata_bytes: string | null;
  source: string | null;
}

interface BilledVariant {
  model: string;
  media: string | null;
  redundancy: string | null;
  access_tier: string | null;
  billing_currency: string | null;
  meter_unit: string;
  quantity: string | null;
  charge_quantity: string | null;
  correction_quantity: string | null;
  free_quantity: string | null;
  cost: string;
  effective_price: string | null;
  line_count: string;
  correction_line_count: string;
  units_seen: string[];
  evidence: string[];
}

/** The meter as Azure billed it and the export files of the finding's day (sql/diff/explain_azure_meter.sql). */
interface AzureMeter {
  meter_names: string[];
  meter_subcategories: string[];
  meter_ids: string[];
  source_files: string[];
  export_scopes: string[];
}

interface Details {
  finding: FindingDetail;
  sources: SourceInterval[];
  billed: BilledVariant[];
  azure: AzureMeter | undefined;
}

async function azureMeter(wh: Warehouse, f: FindingDetail): Promise<AzureMeter | undefined> {
  if (f.billing_resource_id === null || f.meter === null) return undefined;
  const [row] = await wh.rowsFromFile<AzureMeter & Record<string, unknown>>('diff/explain_azure_meter.sql', {
    billing_resource_id: f.billing_resource_id,
    meter: f.meter,
    billing_month: f.billing_month,
    usage_date: f.usage_date,
  });
  return row;
}

async function details(wh: Warehouse, findingId: string): Promise<Details | undefined> {
  const [finding] = await wh.rowsFromFile<FindingDetail & Record<string, unknown>>('diff/explain_finding.sql', {
    finding_id: findingId,
  });
  if (finding === undefined) return undefined;
  const azure = await azureMeter(wh, finding);
  const { billing_resource_id: resource, meter, usage_date: day } = finding;
  if (resource === null || meter === null || day === null) return { finding, sources: [], billed: [], azure };
  const key = { billing_resource_id: resource, meter, usage_date: day };
  return {
    finding,
    azure,
    sources: await wh.rowsFromFile<SourceInterval & Record<string, unknown>>('diff/explain_expected_source.sql', key),
    billed: await wh.rowsFromFile<BilledVariant & Record<string, unknown>>('diff/explain_billed.sql', key),
  };
}

/**
 * The full finding id for a unique prefix (like git). An InputError when the text is not hex, when no finding
 * starts with it, or when several do (listing up to 10 of them).
 */
export async function resolveFindingId(wh: Warehouse, text: string): Promise<string> {
  const prefix = text.trim().toLowerCase();
  if (!/^[0-9a-f]{1,16}$/.test(prefix)) {
    throw new InputError(`'${text}' is not a finding id: ids are 16 hex digits (a unique prefix is enough)`);
  }
  const candidates = await wh.rowsFromFile<{ finding_id: string; kind: string; usage_date: string | null }>(
    'diff/finding_id_prefix.sql',
    { prefix },
  );
  const [only] = candidates;
  if (only === undefined) throw new InputError(`no finding ${prefix} in ${wh.path}`);
  if (candidates.length === 1) return only.finding_id;
  const shown = candidates
    .slice(0, 10)
    .map((c) => `${c.finding_id} (${c.kind}${c.usage_date ? `, ${c.usage_date}` : ''})`);
  throw new InputError(
    `finding id prefix '${prefix}' is ambiguous: ${candidates.length > 10 ? 'more than 10' : candidates.length} findings ` +
      `start with it: ${shown.join(', ')}${candidates.length > 10 ? ', …' : ''}; give more digits`,
  );
}

/** Plain text explaining a finding; undefined when no finding has that id. */
export async function explainFinding(wh: Warehouse, findingId: string): Promise<string | undefined> {
  const found = await details(wh, findingId);
  if (found === undefined) return undefined;
  const { finding, sources, billed, azure } = found;
  const lines = [...findingSection(finding, azure)];
  if (finding.billing_resource_id !== null && finding.meter !== null && finding.usage_date !== null) {
    lines.push('', ...expectedSection(finding, sources), '', ...billedSection(billed, azure?.export_scopes ?? []));
  }
  lines.push('', ...evidenceSection(finding, azure?.export_scopes ?? []));
  return lines.join('\n') + '\n';
}

/** The same explanation as data, every figure an exact decimal string; undefined when no finding has that id. */
export async function explainFindingJson(wh: Warehouse, findingId: string): Promise<unknown> {
  const found = await details(wh, findingId);
  if (found === undefined) return undefined;
  const { finding: f, sources, billed, azure } = found;
  const meter = f.meter ?? '';
  const rule = isMeterKey(meter) ? RECOMPUTE_RULES[meter] : null;
  return {
    finding: {
      finding_id: f.finding_id,
      billing_month: f.billing_month,
      usage_date: f.usage_date,
      billing_resource_id: f.billing_resource_id,
      meter: f.meter,
      kind: f.kind,
      severity: f.severity,
      billed_quantity: exactJson(f.billed_quantity),
      expected_quantity: exactJson(f.expected_quantity),
      delta_quantity: exactJson(f.delta_quantity),
      billed_cost: exactJson(f.billed_cost),
      cost_impact: exactJson(f.cost_impact),
      currency: f.currency,
      provisional: f.provisional,
      explanation: f.explanation,
      unit: f.meter_unit,
      unit_convention: f.unit_convention,
      check: f.rule,
      run_id: f.run_id,
    },
    expected:
      f.expected_rule === null
        ? null
        : {
            rule: f.expected_rule,
            formula: rule?.formula ?? null,
            days_in_month: f.days_in_month,
            quantity: exactJson(f.expected_usage_quantity),
            quantity_numerator: f.quantity_numerator,
            numerator_unit: f.numerator_unit,
            quantity_denominator: f.quantity_denominator,
            unit_kind: f.unit_kind,
            source_count: f.source_count,
            unknown_seconds: f.unknown_seconds,
            is_complete: f.is_complete,
            is_open_ended: f.is_open_ended,
            covered_seconds: f.covered_seconds,
            sources: sources.map((source) => exactFields(source, SOURCE_DECIMALS)),
          },
    billed: billed.map((variant) => exactFields(variant, BILLED_DECIMALS)),
    azure_meter:
      azure === undefined
        ? null
        : {
            meter_names: azure.meter_names,
            meter_subcategories: azure.meter_subcategories,
            meter_ids: azure.meter_ids,
            export_files: azure.source_files.map((file) => exportRelativePath(file, azure.export_scopes)),
          },
    evidence: f.evidence === null ? null : (JSON.parse(f.evidence) as unknown),
  };
}

/** '24576.000000000000000000' → '24576': trailing zeros dropped from a decimal string (text only, no rounding). */
export function trimDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** "MeterName 'x', MeterSubCategory 'y', MeterId z [recon meter k]": Azure's names first, recon's key after. */
function meterText(f: FindingDetail, azure: AzureMeter | undefined): string {
  const key = f.meter === null ? '' : `[recon meter ${f.meter}]`;
  if (azure === undefined || azure.meter_names.length === 0) {
    return f.meter === null ? '-' : `not billed this month ${key}`;
  }
  const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(' / ');
  const parts = [`MeterName ${quoted(azure.meter_names)}`];
  if (azure.meter_subcategories.length > 0) parts.push(`MeterSubCategory ${quoted(azure.meter_subcategories)}`);
  if (azure.meter_ids.length > 0) parts.push(`MeterId ${azure.meter_ids.join(' / ')}`);
  return `${parts.join(', ')} ${key}`;
}

function findingSection(f: FindingDetail, azure: AzureMeter | undefined): string[] {
  const unit = f.meter_unit;
  const money = (v: string | null): string => (v === null ? 'unknown' : formatMoney(v, f.currency));
  const files =
    azure === undefined || azure.source_files.length === 0
      ? []
      : [
          `  export files     ${azure.source_files.map((file) => exportRelativePath(file, azure.export_scopes)).join(', ')}`,
        ];
  return [
    `Finding ${f.finding_id}: ${f.kind} (severity ${f.severity}${f.provisional ? ', provisional' : ''})`,
    `  resource         ${f.billing_resource_id ?? '-'}`,
    `  meter            ${meterText(f, azure)}`,
    `  billing period   ${f.billing_month} (${periodText(f.billing_month)}, UTC)`,
    `  usage day        ${f.usage_date ?? '- (the whole month)'}`,
    ...files,
    `  billed           ${formatQuantity(f.billed_quantity, unit)}`,
    `  expected         ${formatQuantity(f.expected_quantity, unit)}`,
    `  delta            ${formatQuantity(f.delta_quantity, unit)}`,
    `  billed cost      ${money(f.billed_cost)}`,
    `  money at stake   ${money(f.cost_impact)}`,
    ...(f.unit_convention === null ? [] : [`  unit convention  ${f.unit_convention}`]),
    `  rules            docs/billing-rules.md [check ${f.rule ?? '-'}, run ${f.run_id}]`,
    '',
    `  ${f.explanation}`,
  ];
}

function expectedSection(f: FindingDetail, sources: SourceInterval[]): string[] {
  const meter = f.meter ?? '';
  const rule = isMeterKey(meter) ? RECOMPUTE_RULES[meter] : null;
  if (f.expected_rule === null) {
    const why =
      isMeterKey(meter) && rule === null
        ? `recon does not recompute ${meter}: no input it reads carries that usage.`
        : `nothing expected: no share or snapshot of this resource puts usage on ${meter} that day.`;
    return ['Expected', `  ${why}`, ...coverageLines(f)];
  }
  const unit = f.meter_unit ?? '';
  const days = f.days_in_month ?? 0;
  const lines = [
    `Expected (${rule ? rule.formula : 'docs/billing-rules.md'}) [rule ${f.expected_rule}]`,
    `  ${monthName(f.billing_month)} has ${days} days.`,
    `  quantity = ${exact(f.quantity_numerator)} ${f.numerator_unit} ÷ ${exact(f.quantity_denominator)}` +
      ` (${denominatorWords(f.numerator_unit, f.unit_kind, days)})` +
      ` = ${formatQuantity(f.expected_usage_quantity, unit)}`,
    `  summed over ${f.source_count} source(s)${f.is_complete === false ? `; ${exact(f.unknown_seconds)} s of input unknown: a lower bound` : ''}` +
      (f.is_open_ended ? '; an open interval was cut where the inventory stops vouching for it' : ''),
    ...coverageLines(f),
  ];
  let current: string | undefined;
  for (const s of sources) {
    if (s.source_resource_id !== current) {
      current = s.source_resource_id;
      lines.push(
        `  ${s.source_kind} ${s.source_resource_id}: ${formatQuantity(s.quantity, unit)}` +
          ` = ${exact(s.quantity_numerator)} ÷ ${exact(s.quantity_denominator)}${s.is_complete ? '' : ' (incomplete)'}`,
      );
    }
    if (s.interval_id === null) continue;
    const sizes = [
      s.provisioned_gib === null ? null : `provisioned ${formatDecimal(s.provisioned_gib)} GiB`,
      s.provisioned_iops === null ? null : `${formatDecimal(s.provisioned_iops)} IOPS`,
      s.provisioned_mibps === null ? null : `${formatDecimal(s.provisioned_mibps)} MiB/s`,
      s.used_bytes === null ? null : `used ${exact(s.used_bytes)} bytes`,
      s.snapshot_differential_bytes === null
        ? null
        : `snapshot differential ${exact(s.snapshot_differential_bytes)} bytes`,
      s.metadata_bytes === null ? null : `metadata ${exact(s.metadata_bytes)} bytes`,
    ].filter((x) => x !== null);
    const attributes = [s.billing_model, s.media_tier, s.redundancy, s.access_tier].filter((x) => x !== null);
    lines.push(
      `    interval ${s.interval_id}: ${s.state} ${s.valid_from} → ${s.valid_to ?? `open (vouched to ${s.covered_to ?? '?'})`}` +
        `; ${attributes.join(' ')}; ${sizes.join(', ')}${s.source ? ` [${s.source}]` : ''}`,
    );
  }
  return lines;
}

// JSON carries DuckDB's exact decimals in their shortest spelling (as findings.json does): '1.500000' → '1.5'.
const SOURCE_DECIMALS = ['quantity', 'provisioned_gib', 'provisioned_iops', 'provisioned_mibps'] as const;
const BILLED_DECIMALS = [
  'quantity',
  'charge_quantity',
  'correction_quantity',
  'free_quantity',
  'cost',
  'effective_price',
] as const;

function exactJson(value: string | null): string | null {
  return value === null ? null : canonicalDecimal(value);
}

function exactFields<T extends object>(row: T, keys: readonly string[]): T {
  const copy = { ...row } as Record<string, unknown>;
  for (const key of keys) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = canonicalDecimal(value);
  }
  return copy as unknown as T;
}

/** An exact integer or decimal of the arithmetic, thousands grouped but never rounded. */
function exact(value: string | null): string {
  return value === null ? '-' : formatExact(value);
}

function coverageLines(f: FindingDetail): string[] {
  if (f.usage_date === null) return [];
  const seconds = f.covered_seconds ?? '0';
  return [
    `  inventory coverage: ${exact(seconds)} of 86,400 s of ${f.usage_date}${seconds === '86400' ? ' (whole day)' : ''}`,
  ];
}

function billedSection(variants: BilledVariant[], exportScopes: readonly string[]): string[] {
  if (variants.length === 0) return ['Billed', '  nothing billed on this meter that day (net of corrections).'];
  const lines = ["Billed (the export's lines of the day, net of refunds and corrections)"];
  for (const v of variants) {
    const attributes = [v.model, v.media, v.redundancy, v.access_tier].filter((x) => x !== null).join(' ');
    lines.push(
      `  ${attributes}: ${formatQuantity(v.quantity, v.meter_unit)}` +
        ` (charges ${formatDecimal(v.charge_quantity)}, corrections ${formatDecimal(v.correction_quantity)},` +
        ` free companion ${formatDecimal(v.free_quantity)}), cost ${formatMoney(v.cost, v.billing_currency)}` +
        // A unit price is often a fraction of a cent: its significant digits matter, so up to 6 places.
        ` at ${formatDecimal(v.effective_price, 6)} ${v.billing_currency ?? ''} per ${v.meter_unit.replace(/s$/, '')};` +
        ` ${formatCount(v.line_count)} line(s), ${formatCount(v.correction_line_count)} correction(s); units as exported: ${v.units_seen.join(', ')}`,
      `    lines: ${v.evidence.map((line) => exportRelativePath(line, exportScopes)).join(', ')}`,
    );
  }
  return lines;
}

function evidenceSection(f: FindingDetail, exportScopes: readonly string[]): string[] {
  if (f.evidence === null) return [];
  const evidence = JSON.parse(f.evidence) as Record<string, unknown>;
  const deliveries = Array.isArray(evidence.delivery_ids) ? (evidence.delivery_ids as string[]).join(', ') : '-';
  const submitted = typeof evidence.delivery_submitted_at === 'string' ? evidence.delivery_submitted_at : 'unknown';
  return [
    `Deliveries: ${deliveries} (submitted ${submitted})`,
    'Evidence (exact values: recon explain --json)',
    ...evidenceLines(evidence, exportScopes),
  ];
}

/** The evidence record as one readable line per fact: unknown facts left out, files as the export names them. */
function evidenceLines(evidence: Record<string, unknown>, exportScopes: readonly string[]): string[] {
  const show = (key: string, value: unknown): string => {
    if (typeof value === 'string') {
      if (key === 'billed_lines' || key.endsWith('_file')) return exportRelativePath(value, exportScopes);
      return isDecimalText(value) ? formatDecimal(value, 6) : value;
    }
    // numbers and booleans as written; a nested object stays JSON (no evidence key holds one today)
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  };
  return Object.entries(evidence)
    .filter(([key, value]) => value !== null && key !== 'delivery_ids' && key !== 'delivery_submitted_at')
    .map(([key, value]) => {
      const values = Array.isArray(value) ? value : [value];
      return `  ${key.replaceAll('_', ' ')}: ${values.map((item) => show(key, item)).join(', ')}`;
    });
}

function denominatorWords(numeratorUnit: string | null, unitKind: string | null, days: number): string {
  const base = numeratorUnit === 'byte_seconds' ? ' × 2^30 bytes per GiB' : '';
  switch (unitKind) {
    case 'hourly_units':
      return `3600 s per hour${base}`;
    case 'monthly_units':
      return `86400 s × ${days} days${base}`;
    case 'count_10k':
      return '10,000 transactions per bucket';
    default:
      return 'the meter unit';
  }
}

function monthName(billingMonth: string): string {
  const [year, month] = billingMonth.split('-');
  const names = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${names[Number(month) - 1] ?? billingMonth} ${year ?? ''}`.trim();
}
