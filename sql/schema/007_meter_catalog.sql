-- Meter catalog and billed usage: the data that maps billed lines to canonical meter keys, and the billed side of
-- the diff. The catalog rows come from data/meter-catalog.csv (loadMeterCatalog); the views over billing lines
-- (billed_line_meter, duplicate_billed_line, price_check) are created from sql/billed/ when the billed stage runs,
-- because they read current_billing_line, which the ingest stage owns.

-- meter_catalog: one row per data line of data/meter-catalog.csv (grain: catalog_line).
-- A row matches a billing line on meter_id alone when meter_id is set; otherwise every non-null pattern must be
-- found (RE2 regexp_matches, case-insensitive, unanchored: write ^ and $) in its column. Among the rows that
-- match a line, a meter_id row wins, then the highest priority, then the earliest line.
create table meter_catalog (
  catalog_line        integer primary key,  -- physical line in the CSV (header = line 1)
  priority            integer not null,
  meter_id            varchar,              -- lower-cased meter GUID
  category_pattern    varchar,              -- against meter_category
  subcategory_pattern varchar,              -- against meter_subcategory
  name_pattern        varchar,              -- against meter_name
  meter_key           varchar not null,
  model               varchar not null check (model in ('v2', 'v1', 'payg', 'disk')),
  media               varchar check (media in ('ssd', 'hdd', '*')),                -- '*': read from the line
  redundancy          varchar check (redundancy in ('lrs', 'zrs', 'grs', 'gzrs', 'ragrs', 'ragzrs', '*')),
  access_tier         varchar check (access_tier in ('hot', 'cool', 'transaction_optimized')),
  is_free_companion   boolean not null,     -- a v2 '… Free' meter: its quantity counts toward the paid key
  note                varchar,
  source_path         varchar not null,
  loaded_at           timestamp not null,
  check (meter_id is not null or coalesce(category_pattern, subcategory_pattern, name_pattern) is not null)
);

-- meter_key_unit: the unit of each canonical meter key, written from src/billing/meters.ts by loadMeterCatalog
-- so the key list has one source (grain: meter_key).
create table meter_key_unit (
  meter_key             varchar primary key,
  model                 varchar not null,
  unit_kind             varchar not null,   -- hourly_units | monthly_units | count_10k | plain_gib
  meter_unit            varchar not null,   -- e.g. 'GiB-hours', '10,000-transaction buckets'
  key_block_size        decimal(38, 10) not null,  -- export units in one key unit: 10000 for 10K buckets, else 1
  key_block_reciprocal  decimal(38, 10) not null,  -- 1 ÷ key_block_size, exact (DuckDB's DECIMAL '/' is DOUBLE)
  expected_time_basis   varchar not null check (expected_time_basis in ('hour', 'month', 'none'))
);

-- billed_usage: billed Files and snapshot usage in each meter key's own unit
-- (grain: billing_resource_id × meter_key × usage_date × model × media × redundancy × access_tier × billing_currency).
-- Filled by sql/billed/billed_usage.sql; a build replaces the rows of its scope.
create table billed_usage (
  billing_month                      varchar not null,
  usage_date                         date not null,
  billing_resource_id                varchar,
  meter_key                          varchar not null,
  model                              varchar not null,
  media                              varchar,
  redundancy                         varchar,
  access_tier                        varchar,
  billing_currency                   varchar,
  meter_unit                         varchar not null,
  quantity_meter_unit                decimal(38, 28),  -- net of corrections, paid + free; null if a line's unit could not be normalised
  paid_quantity_meter_unit           decimal(38, 28),
  free_quantity_meter_unit           decimal(38, 28),  -- from '… Free' companion meters
  charge_quantity_meter_unit         decimal(38, 28),  -- gross: lines that are not corrections
  correction_quantity_meter_unit     decimal(38, 28),  -- refunds and corrections (usually negative)
  cost_billing_currency              decimal(38, 28) not null,  -- net
  charge_cost_billing_currency       decimal(38, 28) not null,
  correction_cost_billing_currency   decimal(38, 28) not null,
  effective_price_per_meter_unit     decimal(38, 28),  -- the single paid price, else the price of the paid line with the largest cost
  distinct_price_count               bigint not null,
  min_price_per_meter_unit           decimal(38, 28),
  max_price_per_meter_unit           decimal(38, 28),
  line_count                         bigint not null,
  correction_line_count              bigint not null,
  delivery_count                     bigint not null,
  unnormalised_line_count            bigint not null,  -- lines without a usable pricing_block_size
  unexpected_unit_line_count         bigint not null,  -- lines whose unit is per hour/month where the key is not
  units_seen                         varchar[] not null,  -- unit_of_measure labels as the export wrote them
  first_charge_period_start          timestamp not null,
  last_charge_period_end             timestamp not null,
  evidence                           varchar[] not null,  -- 'source_file:source_line', ordered
  built_at                           timestamp not null
);

-- Is a billing line a Files or disk-snapshot meter at all? Decided from the line's own data: meter category
-- Storage and the words Files or Snapshot(s) in its subcategory, name or product. Such a line that the catalog does
-- not map is 'unmapped' (a finding later), never dropped; any other line is 'ignored' (VMs, blobs, …).
create macro is_files_or_snapshot_meter(meter_category, meter_subcategory, meter_name, product_name) as
  coalesce(lower(trim(meter_category)) = 'storage', false)
  and regexp_matches(concat_ws(' ', meter_subcategory, meter_name, product_name), '\bfiles\b|\bsnapshots?\b', 'i');

-- Read a redundancy token (lrs … ragzrs) from the meter name, else the subcategory, else the product name.
create macro redundancy_token(meter_name, meter_subcategory, product_name) as
  replace(coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), ''),
    nullif(regexp_extract(lower(meter_subcategory), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), '')
  ), '-', '');

-- Read a media token (ssd | hdd) the same way.
create macro media_token(meter_name, meter_subcategory, product_name) as
  coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(ssd|hdd)\b', 1), ''),
    nullif(regexp_extract(lower(meter_subcategory), '\b(ssd|hdd)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(ssd|hdd)\b', 1), '')
  );

-- x × factor as DECIMAL(38,28) without the scale overflow of DECIMAL(38,28) × DECIMAL(38,28).
-- Exact when factor is integral (block sizes, 1); for a fractional factor (e.g. 0.0001 for single transactions
-- into 10K buckets) x keeps 20 fractional digits and factor 8, which is exact for every factor of that form.
create macro times_factor(x, factor) as
  case
    when factor = 1 then x::decimal(38, 28)
    when factor = trunc(factor) then x::decimal(38, 28) * factor::decimal(38, 0)
    else x::decimal(38, 20) * factor::decimal(38, 8)
  end;

-- 1 ÷ x for a power of ten x (1, 10, 100 …), exactly; null for anything else.
create macro reciprocal_of_power_of_ten(x) as
  case
    when x >= 1 and x = trunc(x) and regexp_full_match(trunc(x)::hugeint::varchar, '10*')
      then ('1e-' || (length(trunc(x)::hugeint::varchar) - 1))::decimal(38, 28)
  end;

-- The billed stage's scope (--month, --from/--to, --resource prefixes, case-insensitive); null arguments = no limit.
create macro billed_in_scope(billing_month, usage_date, billing_resource_id, scope_month, scope_from, scope_to, scope_prefixes) as
  (scope_month is null or billing_month = scope_month)
  and (scope_from is null or usage_date >= scope_from)
  and (scope_to is null or usage_date <= scope_to)
  and (
    scope_prefixes is null
    or len(scope_prefixes) = 0
    or len(list_filter(scope_prefixes, lambda p: starts_with(lower(billing_resource_id), lower(p)))) > 0
  );
