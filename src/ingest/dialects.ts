// The three header dialects of Cost Management exports (spec/export-formats.md §1) as data: for each
// billing_line field, the source column names that carry it, first match wins, compared case-insensitively.
// Column order differs between dataset versions, so nothing here depends on position.
// Long because it is data: the column names of three dialects and their dataset versions, one per line.
import { InputError } from '../errors.ts';

export type Dialect = 'ea' | 'mca' | 'focus';

/** billing_line fields read from a column; each has one conversion (see FIELD_KINDS). */
export type SourceField =
  | 'charge_date' // EA/MCA `Date`: a daily row, charge period = [date, date + 1 day)
  | 'charge_period_start'
  | 'charge_period_end'
  | 'billing_account_id'
  | 'billing_profile_id'
  | 'subscription_id'
  | 'resource_group'
  | 'billing_resource_id'
  | 'resource_name'
  | 'resource_location'
  | 'service_name'
  | 'product_name'
  | 'meter_id'
  | 'meter_category'
  | 'meter_subcategory'
  | 'meter_name'
  | 'meter_region'
  | 'unit_of_measure'
  | 'pricing_block_size'
  | 'distinct_unit'
  | 'quantity'
  | 'effective_price'
  | 'unit_price'
  | 'cost'
  | 'billed_unit_price' // FOCUS x_BilledUnitPrice: the price BilledCost is quantity × of
  | 'effective_cost' // FOCUS EffectiveCost (amortized), priced by x_EffectiveUnitPrice
  | 'billing_currency'
  | 'charge_type'
  | 'charge_class'
  | 'pricing_model'
  | 'frequency'
  | 'reservation_id'
  | 'tags'
  | 'additional_info';

export type FieldKind = 'text' | 'lower_text' | 'resource_id' | 'decimal' | 'timestamp' | 'tags' | 'json';

export const FIELD_KINDS: Record<SourceField, FieldKind> = {
  charge_date: 'timestamp',
  charge_period_start: 'timestamp',
  charge_period_end: 'timestamp',
  billing_account_id: 'text',
  billing_profile_id: 'text',
  subscription_id: 'text',
  resource_group: 'text',
  billing_resource_id: 'resource_id',
  resource_name: 'text',
  resource_location: 'text',
  service_name: 'text',
  product_name: 'text',
  meter_id: 'lower_text',
  meter_category: 'text',
  meter_subcategory: 'text',
  meter_name: 'text',
  meter_region: 'text',
  unit_of_measure: 'text',
  pricing_block_size: 'decimal',
  distinct_unit: 'text',
  quantity: 'decimal',
  effective_price: 'decimal',
  unit_price: 'decimal',
  cost: 'decimal',
  billed_unit_price: 'decimal',
  effective_cost: 'decimal',
  billing_currency: 'text',
  charge_type: 'text',
  charge_class: 'text',
  pricing_model: 'text',
  frequency: 'text',
  reservation_id: 'text',
  tags: 'tags',
  additional_info: 'json',
};

export interface DialectSpec {
  dialect: Dialect;
  /** Source column names per field, in order of preference. A field absent here is NULL for the dialect. */
  columns: Partial<Record<SourceField, readonly string[]>>;
  /** Fields whose column must be in the header; a file without one is refused. */
  requiredColumns: readonly SourceField[];
  /** Header columns (lower case) whose presence identifies the dialect. */
  signature: readonly string[];
}

// EA: the documented 2019-10-01 … 2024-08-01 headers and the variant real files carry (Cost, Product,
// BillingCurrency, InvoiceSection); legacy names (UsageDateTime, UsageQuantity, PreTaxCost, InstanceId) last.
const EA: DialectSpec = {
  dialect: 'ea',
  columns: {
    charge_date: ['Date', 'UsageDateTime'],
    billing_account_id: ['BillingAccountId'],
    billing_profile_id: ['BillingProfileId'],
    subscription_id: ['SubscriptionId', 'SubscriptionGuid'],
    resource_group: ['ResourceGroup', 'ResourceGroupName'],
    billing_resource_id: ['ResourceId', 'InstanceId'],
    resource_name: ['ResourceName'],
    resource_location: ['ResourceLocation'],
    service_name: ['ConsumedService'],
    product_name: ['ProductName', 'Product'],
    meter_id: ['MeterId'],
    meter_category: ['MeterCategory'],
    meter_subcategory: ['MeterSubCategory'],
    meter_name: ['MeterName'],
    meter_region: ['MeterRegion'],
    unit_of_measure: ['UnitOfMeasure'],
    quantity: ['Quantity', 'UsageQuantity'],
    effective_price: ['EffectivePrice', 'ResourceRate'],
    unit_price: ['UnitPrice'],
    cost: ['CostInBillingCurrency', 'Cost', 'PreTaxCost'],
    billing_currency: ['BillingCurrencyCode', 'BillingCurrency', 'Currency'],
    charge_type: ['ChargeType'],
    pricing_model: ['PricingModel'],
    frequency: ['Frequency'],
    reservation_id: ['ReservationId'],
    tags: ['Tags'],
    additional_info: ['AdditionalInfo'],
  },
  requiredColumns: [
    'charge_date',
    'quantity',
    'cost',
    'meter_id',
    'meter_name',
    'unit_of_measure',
    'billing_resource_id',
  ],
  signature: ['date', 'usagedatetime'],
};

// MCA: 65 mostly camelCase columns (ProductName, SubscriptionId, ResourceId, PayGPrice in PascalCase).
const MCA: DialectSpec = {
  dialect: 'mca',
  columns: {
    charge_date: ['date'],
    billing_account_id: ['billingAccountId'],
    billing_profile_id: ['billingProfileId'],
    subscription_id: ['SubscriptionId'],
    resource_group: ['resourceGroupName'],
    billing_resource_id: ['ResourceId'],
    resource_name: ['resourceName'],
    resource_location: ['resourceLocation'],
    service_name: ['consumedService'],
    product_name: ['ProductName', 'product'],
    meter_id: ['meterId'],
    meter_category: ['meterCategory'],
    meter_subcategory: ['meterSubCategory'],
    meter_name: ['meterName'],
    meter_region: ['meterRegion'],
    unit_of_measure: ['unitOfMeasure'],
    quantity: ['quantity'],
    effective_price: ['effectivePrice'],
    unit_price: ['unitPrice'],
    cost: ['costInBillingCurrency'],
    billing_currency: ['billingCurrency', 'billingCurrencyCode'],
    charge_type: ['chargeType'],
    pricing_model: ['pricingModel'],
    frequency: ['frequency'],
    reservation_id: ['reservationId'],
    tags: ['tags'],
    additional_info: ['additionalInfo'],
  },
  requiredColumns: [
    'charge_date',
    'quantity',
    'cost',
    'meter_id',
    'meter_name',
    'unit_of_measure',
    'billing_resource_id',
  ],
  // Columns only the MCA schema has (EA has neither invoice ids nor pricing-currency costs).
  signature: ['invoiceid', 'previousinvoiceid', 'costinpricingcurrency', 'exchangeratepricingtobilling'],
};

// FOCUS 1.0-preview, 1.0, 1.0r2, 1.2-preview and 1.2: FOCUS columns plus Microsoft's x_ columns.
// Quantity is PricingQuantity (in pricing blocks, like EA/MCA Quantity), not ConsumedQuantity.
// A FOCUS row carries two costs, each with its own price: BilledCost = PricingQuantity × x_BilledUnitPrice (what
// the invoice bills: 0 on reservation-covered usage) and EffectiveCost = PricingQuantity × x_EffectiveUnitPrice
// (amortized). cost is BilledCost; effective_price stays x_EffectiveUnitPrice, the price recon values money at.
const FOCUS: DialectSpec = {
  dialect: 'focus',
  columns: {
    charge_period_start: ['ChargePeriodStart'],
    charge_period_end: ['ChargePeriodEnd'],
    billing_account_id: ['BillingAccountId'],
    billing_profile_id: ['x_BillingProfileId'],
    subscription_id: ['SubAccountId'],
    resource_group: ['x_ResourceGroupName'],
    billing_resource_id: ['ResourceId'],
    resource_name: ['ResourceName'],
    resource_location: ['RegionId', 'Region'],
    service_name: ['ServiceName'],
    product_name: ['x_SkuDescription'],
    meter_id: ['x_SkuMeterId'],
    meter_category: ['x_SkuMeterCategory'],
    meter_subcategory: ['x_SkuMeterSubcategory'],
    meter_name: ['x_SkuMeterName', 'SkuMeter'],
    meter_region: ['x_SkuRegion'],
    unit_of_measure: ['x_PricingUnitDescription'],
    pricing_block_size: ['x_PricingBlockSize'],
    distinct_unit: ['PricingUnit'],
    quantity: ['PricingQuantity'],
    effective_price: ['x_EffectiveUnitPrice'],
    unit_price: ['ContractedUnitPrice'],
    cost: ['BilledCost'],
    billed_unit_price: ['x_BilledUnitPrice'],
    effective_cost: ['EffectiveCost'],
    billing_currency: ['BillingCurrency'],
    charge_type: ['ChargeCategory'],
    charge_class: ['ChargeClass'],
    pricing_model: ['PricingCategory'],
    frequency: ['ChargeFrequency'],
    reservation_id: ['CommitmentDiscountId'],
    tags: ['Tags'],
    additional_info: ['x_SkuDetails'],
  },
  requiredColumns: [
    'charge_period_start',
    'charge_period_end',
    'quantity',
    'cost',
    'meter_id',
    'unit_of_measure',
    'billing_resource_id',
  ],
  signature: ['chargeperiodstart', 'billedcost'],
};

export const DIALECTS: Record<Dialect, DialectSpec> = { ea: EA, mca: MCA, focus: FOCUS };

/** Where each field comes from in one file: the 0-based header position, and the column's name as written. */
export interface ColumnMap {
  dialect: Dialect;
  positions: Partial<Record<SourceField, number>>;
  names: Partial<Record<SourceField, string>>;
}

/** FOCUS is recognised by all its signature columns; MCA by any of its own; EA by its Date column. */
export function detectDialect(header: readonly string[]): Dialect | null {
  const names = new Set(header.map((name) => name.trim().toLowerCase()));
  if (FOCUS.signature.every((name) => names.has(name))) return 'focus';
  if (MCA.signature.some((name) => names.has(name))) return 'mca';
  if (EA.signature.some((name) => names.has(name))) return 'ea';
  return null;
}

/** Exports have 55–106 columns; a header with thousands is something else, and would make a huge statement. */
const MAX_COLUMNS = 1000;

/** A header name for a message: control characters escaped (as JSON does), long names cut. */
function shown(name: string): string {
  const printable = JSON.stringify(name).slice(1, -1);
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

const DATA_VALUE =
  /^\s*(?:[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

/** Why a header matched no dialect, when the header itself says: another separator, or a data row. */
function unknownHeaderHint(header: readonly string[]): string {
  const [only] = header;
  if (header.length === 1 && only !== undefined) {
    for (const [separator, label] of [
      [';', "';'"],
      ['\t', 'tabs'],
    ] as const) {
      if (only.includes(separator) && detectDialect(only.split(separator)) !== null) {
        return ` (its columns are separated by ${label}, not commas: re-saved by Excel with another locale? Export files are comma-separated)`;
      }
    }
  }
  if (header.some((name) => DATA_VALUE.test(name))) {
    return ' (it looks like a data row: a file or partition whose header row is missing?)';
  }
  return '';
}

/**
 * Map a file's header to billing_line fields; refuses a file whose dialect or required columns are missing, or
 * whose header names a column it reads twice. `location` says where the header is: 'line 1' for CSV.
 */
export function mapColumns(file: string, header: readonly string[], location = 'line 1'): ColumnMap {
  if (header.length > MAX_COLUMNS) {
    throw new InputError(`${file}: ${location}: header has ${header.length} columns: not a cost export header`);
  }
  const dialect = detectDialect(header);
  if (!dialect) {
    throw new InputError(
      `${file}: ${location}: header is not a Cost Management cost export (EA, MCA or FOCUS)${unknownHeaderHint(header)}: ` +
        `found ${header.slice(0, 8).map(shown).join(', ')}${header.length > 8 ? ', …' : ''}`,
    );
  }
  const spec = DIALECTS[dialect];
  const index = new Map<string, number[]>();
  header.forEach((name, position) => {
    const key = name.trim().toLowerCase();
    const positions = index.get(key);
    if (positions) positions.push(position);
    else index.set(key, [position]);
  });
  const positions: Partial<Record<SourceField, number>> = {};
  const names: Partial<Record<SourceField, string>> = {};
  for (const [field, sources] of Object.entries(spec.columns) as [SourceField, readonly string[]][]) {
    const source = sources.find((name) => index.has(name.toLowerCase()));
    if (source === undefined) continue;
    const found = index.get(source.toLowerCase()) ?? [];
    // Two columns of one name that recon reads: which one holds the figure is anyone's guess.
    if (found.length > 1) {
      throw new InputError(
        `${file}: ${location}: column ${source} appears ${found.length} times (columns ${found.map((p) => p + 1).join(', ')}): ` +
          'cannot tell which one to read',
      );
    }
    if (found[0] !== undefined) {
      positions[field] = found[0];
      names[field] = header[found[0]]?.trim();
    }
  }
  const missing = spec.requiredColumns.filter((field) => positions[field] === undefined);
  if (missing.length > 0) {
    const wanted = missing.map((field) => (spec.columns[field] ?? [field]).join(' or '));
    throw new InputError(
      `${file}: ${dialect.toUpperCase()} export is missing required column(s): ${wanted.join('; ')} (header, ${location})`,
    );
  }
  return { dialect, positions, names };
}
