-- Ingest schema: deliveries of Cost Management exports and the canonical billing lines they hold.

-- delivery: one export run's data for one export scope and billing month (grain: delivery_id).
-- A manifest is one delivery; a loose file (or the loose files of one export run folder) is one delivery.
-- Deliveries are never deleted: the current_delivery view picks which one counts, so restatements between
-- deliveries stay queryable.
create table delivery (
  delivery_id          varchar primary key,     -- sha256 of (export_scope, billing_month, run_id, file content hashes)
  export_scope         varchar not null,        -- manifest exportConfig.resourceId, lower-cased; 'export:<name>' for
                                                -- loose files in the export folder layout; 'file:<path>' otherwise
  export_name          varchar,
  dataset_type         varchar,                 -- ActualCost | AmortizedCost | FocusCost | Usage …
  data_version         varchar,
  dialect              varchar not null,        -- ea | mca | focus
  billing_month        varchar not null,        -- YYYY-MM: manifest runInfo.startDate, else the YYYYMMDD-YYYYMMDD
                                                -- folder, else the first charge period in the data
  run_id               varchar,                 -- manifest runInfo.runId, or the run folder of a loose file
  submitted_at         timestamp,               -- manifest runInfo.submittedTime (UTC); for loose files the export
                                                -- time folder (yyyyMMddHHmm) when the path has one. Never file mtime.
  period_start         date,                    -- first usage day the delivery covers
  period_end           date,                    -- last usage day the delivery covers (inclusive)
  last_charge_at       timestamp,               -- latest charge_period_start in the delivery
  days_covered         integer not null,        -- distinct usage days
  file_count           integer not null,
  byte_count           bigint not null,
  rows_read            bigint not null,         -- data rows, header rows excluded
  rows_ingested        bigint not null,
  rows_quarantined     bigint not null,
  expected_blob_count  integer,                 -- manifest blobCount, when present
  expected_row_count   bigint,                  -- manifest dataRowCount, when present
  is_complete          boolean not null,        -- false: manifest counts disagree with what was read, or a blob is missing
  incomplete_reason    varchar,
  source_path          varchar not null,        -- the manifest or loose file (folder, for a run folder of loose files)
  ingested_at          timestamp not null
);

-- ingest_file: each data file (blob) of a delivery (grain: delivery_id × source_file).
create table ingest_file (
  delivery_id      varchar not null,
  source_file      varchar not null,
  file_format      varchar not null,            -- csv | csv.gz | parquet
  byte_count       bigint not null,
  sha256           varchar not null,
  rows_read        bigint not null,
  rows_ingested    bigint not null,
  rows_quarantined bigint not null,
  primary key (delivery_id, source_file)
);

-- billing_line: canonical, dialect-independent charge rows (grain: delivery_id × source_file × source_line).
-- Names follow FOCUS in snake_case. Money and quantities are DECIMAL(38,28): exports carry up to 28 fractional digits.
create table billing_line (
  delivery_id            varchar not null,
  source_file            varchar not null,
  source_line            bigint not null,       -- CSV: 1-based physical line of the row's first line (header = 1);
                                                -- Parquet: 1-based row number
  billing_month          varchar not null,      -- YYYY-MM of charge_period_start
  charge_period_start    timestamp not null,    -- UTC
  charge_period_end      timestamp not null,    -- UTC, exclusive (EA/MCA daily rows: Date + 1 day)
  usage_date             date not null,         -- UTC day of charge_period_start
  billing_account_id     varchar,
  billing_profile_id     varchar,
  subscription_id        varchar,
  resource_group         varchar,
  billing_resource_id    varchar,               -- lower-cased ARM id
  resource_name          varchar,
  resource_location      varchar,
  service_name           varchar,               -- FOCUS ServiceName / EA-MCA ConsumedService
  product_name           varchar,
  meter_id               varchar,               -- lower-cased GUID
  meter_category         varchar,
  meter_subcategory      varchar,
  meter_name             varchar,
  meter_region           varchar,
  unit_of_measure        varchar,               -- as the export wrote it, e.g. '1 GB/Month', '10K'
  pricing_block_size     decimal(38, 10),       -- FOCUS x_PricingBlockSize, else PricingUnits.csv, else parsed
  distinct_unit          varchar,               -- e.g. 'GB/Month', 'Units'
  quantity               decimal(38, 28),       -- in blocks of unit_of_measure (EA/MCA Quantity, FOCUS PricingQuantity)
  effective_price        decimal(38, 28),
  unit_price             decimal(38, 28),
  cost                   decimal(38, 28),       -- billed cost in billing currency
  billing_currency       varchar,
  charge_type            varchar,               -- Usage | Purchase | Refund | RoundingAdjustment … (FOCUS: ChargeCategory)
  charge_class           varchar,               -- FOCUS ChargeClass ('Correction') ; 'Correction' for EA/MCA Refund
  pricing_model          varchar,               -- OnDemand | Reservation | SavingsPlan | Spot (FOCUS: PricingCategory)
  frequency              varchar,
  reservation_id         varchar,
  tags                   json,                  -- always a JSON object (EA/MCA braces added)
  additional_info        json
  -- no PRIMARY KEY: an index over millions of rows slows bulk loads; the grain is checked by an audit instead.
);

-- quarantine: rows and records set aside with the reason, never silently dropped (grain: none; an audit log).
create table quarantine (
  stage        varchar not null,                -- ingest | inventory | transactions
  delivery_id  varchar,                         -- ingest only
  source_file  varchar not null,
  source_line  bigint,                          -- null when the problem is not tied to one line
  reason       varchar not null,
  raw_text     varchar,
  recorded_at  timestamp not null
);

-- pricing_unit: Microsoft's UnitOfMeasure → block size and distinct unit (vendored PricingUnits.csv).
create table pricing_unit (
  unit_of_measure    varchar primary key,
  account_types      varchar,
  pricing_block_size decimal(38, 10) not null,
  distinct_unit      varchar not null
);

-- Conversions the ingest stage applies to export text, once. Each returns NULL for an empty field; the
-- stage quarantines a row whose non-empty field converts to NULL.

-- A decimal as written (plain or E-notation), kept exactly at 28 fractional digits; never a double.
create macro ingest_decimal(v) as try_cast(nullif(trim(v), '') as decimal(38, 28));

-- True when a plain decimal has a non-zero digit beyond the 28th fractional one (the cast would round it).
create macro ingest_decimal_is_lossy(v) as regexp_matches(trim(v), '^[+-]?[0-9]*\.[0-9]{28}[0-9]*[1-9]');

-- EA/MCA write MM/DD/YYYY; FOCUS writes ISO-8601 UTC with or without seconds ('2024-01-01T00:00Z' — a plain
-- cast rejects it); Parquet timestamps arrive as 'YYYY-MM-DD HH:MM:SS[+00]'. Offsets are converted to UTC
-- (the warehouse session runs in UTC).
create macro ingest_timestamp(v) as coalesce(
  try_strptime(nullif(trim(v), ''), [
    '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%Y-%m-%d',
    '%Y-%m-%dT%H:%MZ', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ',
    '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
    '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f'
  ]),
  try_strptime(nullif(trim(v), ''), [
    '%Y-%m-%dT%H:%M%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z'
  ])::timestamp
);

-- EA/MCA Tags are a JSON object without its braces ('"env": "prod","cc": "1"'); FOCUS Tags have them.
create macro ingest_tags_text(v) as
  case when nullif(trim(v), '') is null then null
       when starts_with(trim(v), '{') then trim(v)
       else '{' || trim(v) || '}' end;
create macro ingest_json(v) as case when json_valid(v) then v::json end;

-- A field as CSV text (quoted when it must be): rebuilds a row's text for the quarantine.
create macro ingest_csv_field(v) as
  case when v is null then ''
       when regexp_matches(v, '[",\r\n]') then '"' || replace(v, '"', '""') || '"'
       else v end;

-- delivery_recency: which complete delivery of an export scope and billing month is newest (grain: delivery_id).
-- Month-to-date exports are cumulative snapshots: each run rewrites the whole month, so the newest complete
-- delivery of a (scope, month) replaces every older one. "Newest" is decided, in order, by:
--   1. submitted_at — the manifest's runInfo.submittedTime (or a loose file's export-time folder), later wins;
--      a delivery that has one outranks one that does not;
--   2. last_charge_at — the latest charge period in the data: a later run has seen later charges;
--   3. days_covered — more usage days covered;
--   4. rows_ingested, then delivery_id — deterministic tie-breaks, so ingest order never matters.
-- Ingest time and file modification times are deliberately not used: a copy or a git clone resets them.
-- Incomplete deliveries (manifest counts disagree, a blob is missing) never rank.
create view delivery_recency as
with complete_delivery as (
  select * from delivery where is_complete
),

final as (
  select
    delivery_id,
    export_scope,
    billing_month,
    row_number() over (
      partition by export_scope, billing_month
      order by submitted_at desc nulls last, last_charge_at desc nulls last, days_covered desc,
               rows_ingested desc, delivery_id desc
    ) as recency_rank
  from complete_delivery
)

select * from final;

-- current_delivery: the delivery that counts for each export scope × billing month (grain: export_scope × billing_month).
create view current_delivery as
with ranked as (
  select delivery_id from delivery_recency where recency_rank = 1
),

final as (
  select d.* from delivery as d semi join ranked using (delivery_id)
)

select * from final;

-- current_billing_line: billing lines of current deliveries only (grain: as billing_line).
create view current_billing_line as
with final as (
  select b.* from billing_line as b semi join current_delivery using (delivery_id)
)

select * from final;

-- billing_line_restatement: what changed between the current delivery of a scope × month and the delivery it
-- replaced (the next newest complete one), per billing_resource_id × meter_id × usage_date; only keys whose
-- quantity or cost differ, including keys present in only one of the two (the other side is NULL).
-- (grain: export_scope × billing_month × billing_resource_id × meter_id × usage_date)
create view billing_line_restatement as
with delivery_pair as (
  select cur.export_scope, cur.billing_month, cur.delivery_id as current_delivery_id,
         old.delivery_id as replaced_delivery_id
  from delivery_recency as cur
  join delivery_recency as old
    on old.export_scope = cur.export_scope and old.billing_month = cur.billing_month and old.recency_rank = 2
  where cur.recency_rank = 1
),

line_total as (
  select delivery_id, billing_resource_id, meter_id, usage_date,
         sum(quantity) as quantity, sum(cost) as cost
  from billing_line
  where delivery_id in (select current_delivery_id from delivery_pair union all select replaced_delivery_id from delivery_pair)
  group by all
),

current_total as (
  select p.export_scope, p.billing_month, t.billing_resource_id, t.meter_id, t.usage_date, t.quantity, t.cost
  from delivery_pair as p join line_total as t on t.delivery_id = p.current_delivery_id
),

replaced_total as (
  select p.export_scope, p.billing_month, t.billing_resource_id, t.meter_id, t.usage_date, t.quantity, t.cost
  from delivery_pair as p join line_total as t on t.delivery_id = p.replaced_delivery_id
),

compared as (
  select
    coalesce(c.export_scope, r.export_scope) as export_scope,
    coalesce(c.billing_month, r.billing_month) as billing_month,
    coalesce(c.billing_resource_id, r.billing_resource_id) as billing_resource_id,
    coalesce(c.meter_id, r.meter_id) as meter_id,
    coalesce(c.usage_date, r.usage_date) as usage_date,
    r.quantity as replaced_quantity,
    c.quantity as current_quantity,
    r.cost as replaced_cost,
    c.cost as current_cost
  from current_total as c
  full outer join replaced_total as r
    on r.export_scope = c.export_scope
    and r.billing_month = c.billing_month
    and r.billing_resource_id is not distinct from c.billing_resource_id
    and r.meter_id is not distinct from c.meter_id
    and r.usage_date = c.usage_date
),

final as (
  select
    p.export_scope, p.billing_month, x.billing_resource_id, x.meter_id, x.usage_date,
    p.replaced_delivery_id, p.current_delivery_id,
    x.replaced_quantity, x.current_quantity,
    coalesce(x.current_quantity, 0) - coalesce(x.replaced_quantity, 0) as delta_quantity,
    x.replaced_cost, x.current_cost,
    coalesce(x.current_cost, 0) - coalesce(x.replaced_cost, 0) as delta_cost
  from compared as x
  join delivery_pair as p using (export_scope, billing_month)
  where x.replaced_quantity is distinct from x.current_quantity or x.replaced_cost is distinct from x.current_cost
)

select * from final;
