-- Ingest schema: deliveries of Cost Management exports and the canonical billing lines they hold.

-- delivery: one export run's data for one export scope and billing month (grain: delivery_id).
-- A manifest is one delivery; a loose file is its own delivery. Deliveries are never deleted: the
-- current_delivery view picks which one counts, so restatements between deliveries stay queryable.
create table delivery (
  delivery_id          varchar primary key,     -- stable hash of (export_scope, billing_month, run_id, content)
  export_scope         varchar not null,        -- manifest exportConfig.resourceId, lower-cased; 'file:<path>' for loose files
  export_name          varchar,
  dataset_type         varchar,                 -- ActualCost | AmortizedCost | FocusCost | Usage …
  data_version         varchar,
  dialect              varchar not null,        -- ea | mca | focus
  billing_month        varchar not null,        -- YYYY-MM
  run_id               varchar,                 -- manifest runInfo.runId
  submitted_at         timestamp,               -- manifest runInfo.submittedTime (UTC); file mtime for loose files
  period_start         date,                    -- first usage day the delivery covers
  period_end           date,                    -- last usage day the delivery covers (inclusive)
  days_covered         integer not null,
  file_count           integer not null,
  byte_count           bigint not null,
  rows_read            bigint not null,         -- data rows, header rows excluded
  rows_ingested        bigint not null,
  rows_quarantined     bigint not null,
  expected_blob_count  integer,                 -- manifest blobCount, when present
  expected_row_count   bigint,                  -- manifest dataRowCount, when present
  is_complete          boolean not null,        -- false: manifest counts disagree with what was read, or a blob is missing
  incomplete_reason    varchar,
  source_path          varchar not null,        -- the manifest or loose file
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
  source_line            bigint not null,       -- 1-based physical line of the row's first line in the file (header = 1)
  billing_month          varchar not null,      -- YYYY-MM of charge_period_start
  charge_period_start    timestamp not null,    -- UTC
  charge_period_end      timestamp not null,    -- UTC, exclusive
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
  pricing_block_size     decimal(38, 10),       -- from PricingUnits.csv, or parsed from unit_of_measure
  distinct_unit          varchar,               -- e.g. 'GB/Month', 'Units'
  quantity               decimal(38, 28),
  effective_price        decimal(38, 28),
  unit_price             decimal(38, 28),
  cost                   decimal(38, 28),       -- billed cost in billing currency
  billing_currency       varchar,
  charge_type            varchar,               -- Usage | Purchase | Refund | RoundingAdjustment … (FOCUS: ChargeCategory)
  charge_class           varchar,               -- FOCUS ChargeClass ('Correction') ; 'Correction' for EA/MCA Refund
  pricing_model          varchar,               -- OnDemand | Reservation | SavingsPlan | Spot
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
