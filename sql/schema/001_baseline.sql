-- The warehouse schema: every table recon keeps, in one baseline (one file: the tables of all stages, so a reader
-- sees the whole warehouse at once). Tables only — the views and macros that state rules live in the stages' model
-- files (sql/<stage>/model*.sql, src/db/model.ts), created when the warehouse is opened. A later change to a table is
-- a new migration NNN_name.sql; a change to a rule is an edit of the model file that states it.
-- Conventions: ids are lower-cased ARM ids; money and quantities are exact DECIMALs; unknown is NULL, never 0.
-- Long because it is the whole schema: every table of every stage, with its grain and column meanings.

-- ===== Runs ==========================================================================================================

-- recon_run: one row per pipeline run (grain: run_id). Stage timings and counts live in recon_run_stage.
create table recon_run (
  run_id        varchar primary key,
  pipeline      varchar not null,
  parameters    json not null,
  started_at    timestamp not null,
  finished_at   timestamp,
  status        varchar not null check (status in ('running', 'succeeded', 'failed')),
  error_message varchar,
  summary       json
);

-- grain: run_id × stage_name
create table recon_run_stage (
  run_id     varchar not null,
  stage_name varchar not null,
  started_at timestamp not null,
  seconds    decimal(18, 3) not null,
  row_count  bigint not null,
  primary key (run_id, stage_name)
);

-- ===== Ingest: deliveries of Cost Management exports and the billing lines they hold ==============================

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
  ingested_at          timestamp not null,
  -- the cost view: actual | amortized | focus; NULL when nothing tells (an EA/MCA file with no manifest and no
  -- commitment-discount line reads the same in both views). cost_view_source says what told. README "Cost views".
  cost_view            varchar,
  cost_view_source     varchar
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
  -- mtime in ns: a file whose path, size and modification time match a file already ingested has the sha256
  -- recorded for it, and is not read again (issue 14; --rehash reads it)
  modified_ns      bigint,
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
  additional_info        json,
  -- FOCUS only: BilledCost is priced by x_BilledUnitPrice, EffectiveCost by x_EffectiveUnitPrice (cost and
  -- effective_price). NULL for EA/MCA, whose one cost is priced by EffectivePrice in its own view.
  billed_unit_price      decimal(38, 28),
  effective_cost         decimal(38, 28)
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
  recorded_at  timestamp not null,
  -- What a quarantined charge row still says about where it belongs, when those columns did convert: the diff
  -- reports a day that a quarantined charge may bill as unverifiable instead of "nothing billed".
  billing_resource_id varchar,                  -- normalised like billing_line's
  usage_date   date,                            -- the usage day, when the charge period converted
  is_files_or_snapshot boolean                  -- the row names a Files or snapshot meter
);

-- pricing_unit: Microsoft's UnitOfMeasure → block size and distinct unit (vendored PricingUnits.csv).
create table pricing_unit (
  unit_of_measure    varchar primary key,
  account_types      varchar,
  pricing_block_size decimal(38, 10) not null,
  distinct_unit      varchar not null
);

-- delivery_source: which delivery each export path (a manifest, a loose file, a run folder of loose files) held
-- the last time the ingest stage read it (grain: source_path). A corrected re-download at the same path replaces
-- what the path held before: the path's latest content wins, whatever its hash.
create table delivery_source (
  source_path varchar primary key,
  delivery_id varchar not null,
  seen_at     timestamp not null
);
-- descriptive_field_problem: a charge row kept although one of its descriptive columns (Tags, AdditionalInfo,
-- UnitPrice) could not be read; the column is NULL in billing_line and its text is kept here, as written
-- (grain: delivery_id × source_file × source_line × column_name). Only the columns the reconciliation needs
-- send a row to the quarantine.
create table descriptive_field_problem (
  delivery_id  varchar not null,
  source_file  varchar not null,
  source_line  bigint not null,
  column_name  varchar not null,               -- as the file spells it
  problem      varchar not null,
  raw_text     varchar                         -- the field's text as written
);

-- What a quarantined charge row still says about where it belongs, when those columns did convert: the diff
-- reports a day that a quarantined charge may bill as unverifiable instead of "nothing billed".

-- ===== Inventory: what the metadata says each account, share and disk snapshot was, and when =======================

-- Inventory schema: what the metadata says each storage account, share and disk snapshot was, and when.
-- Observations are facts as read; intervals are derived from them by sql/inventory/*.sql.
-- Ids are lower-cased ARM ids. Sizes are integers (bytes, GiB, IOPS, MiB/s); unknown is NULL, never 0.

-- grain: storage_account_id × observed_at
create table storage_account_observation (
  observed_at                 timestamp not null,
  storage_account_id          varchar not null,
  sku_name                    varchar not null,   -- e.g. PremiumV2_LRS, Standard_GRS
  kind                        varchar,            -- FileStorage | StorageV2 …
  location                    varchar,
  billing_model               varchar not null check (billing_model in ('v1', 'v2', 'payg')),
  media_tier                  varchar not null check (media_tier in ('ssd', 'hdd')),
  redundancy                  varchar not null,   -- lrs | zrs | grs | gzrs (RA-GRS/RA-GZRS: Azure Files bills them as GRS/GZRS)
  share_delete_retention_days integer,            -- null: unknown; 0: soft delete off (nearest file_service_observation)
  source_file                 varchar not null,
  source_line                 bigint,
  primary key (storage_account_id, observed_at)
);

-- grain: share_resource_id × observed_at. One row per observation of one share (canonical share_state.csv,
-- or one item of az/ARM JSON). A deleted share's observation has is_deleted and deleted_at.
create table share_observation (
  observed_at                 timestamp not null,
  share_resource_id           varchar not null,   -- classic: …/storageaccounts/<a>/fileservices/default/shares/<s>; FileShares: …/microsoft.fileshares/fileshares/<s>
  billing_resource_id         varchar not null,   -- the storage account for classic shares, the share itself for FileShares
  resource_kind               varchar not null check (resource_kind in ('classic', 'fileshares')),
  billing_model               varchar not null check (billing_model in ('v1', 'v2', 'payg')),
  media_tier                  varchar not null check (media_tier in ('ssd', 'hdd')),
  redundancy                  varchar not null,
  protocol                    varchar,            -- smb | nfs; null when not given
  access_tier                 varchar,            -- transaction_optimized | hot | cool | premium
  provisioned_gib             bigint,
  provisioned_iops            bigint,             -- null on v2: Azure's recommended default applies
  provisioned_mibps           bigint,
  used_bytes                  bigint,             -- logical
  snapshot_differential_bytes bigint,             -- physical
  metadata_bytes              bigint,
  is_deleted                  boolean not null,
  deleted_at                  timestamp,
  retention_days              integer,
  source_kind                 varchar not null,   -- csv | az_share_rm | arm_share | fileshares | …
  source_file                 varchar not null,
  source_line                 bigint,             -- CSV line, or 1-based item index in a JSON array
  next_quota_downgrade_at     timestamp,          -- classic: nextAllowedQuotaDowngradeTime (RFC-1123 in ARM)
  next_iops_downgrade_at      timestamp,          -- nextAllowedProvisionedIopsDowngradeTime / …IOPerSecNextAllowedDowngrade
  next_mibps_downgrade_at     timestamp,          -- nextAllowedProvisionedBandwidthDowngradeTime / …Throughput…
  primary key (share_resource_id, observed_at)
);

-- grain: share_interval_id. Derived by sql/inventory/share_interval.sql: each observation holds from observed_at
-- until the next observation of the same share (valid_to exclusive; NULL = no later observation yet). A deleted
-- share is 'soft_deleted' from deleted_at until deleted_at + retention_days, then has no interval (gone,
-- ends_by = 'purge'). Time no interval covers is unknown. See docs/inventory.md.
create table share_interval (
  share_interval_id           varchar primary key, -- share_resource_id || '@' || valid_from (ISO)
  share_resource_id           varchar not null,
  billing_resource_id         varchar not null,
  resource_kind               varchar not null,
  state                       varchar not null check (state in ('live', 'soft_deleted')),
  valid_from                  timestamp not null,
  valid_to                    timestamp,
  billing_model               varchar not null,
  media_tier                  varchar not null,
  redundancy                  varchar not null,
  protocol                    varchar,
  access_tier                 varchar,
  provisioned_gib             bigint,
  provisioned_iops            bigint,             -- effective: observed, else the recommended default (v2)
  provisioned_mibps           bigint,
  used_bytes                  bigint,
  snapshot_differential_bytes bigint,
  metadata_bytes              bigint,
  observed_at                 timestamp not null, -- the observation this interval comes from
  source_file                 varchar not null,
  source_line                 bigint,
  -- How far the inventory vouches for this interval: valid_to, or for an open interval the end of its
  -- observation's UTC day (or the as-of time the build was given, when later). Always set by the builder.
  covered_to                  timestamp,
  ends_by                     varchar check (ends_by in ('next_observation', 'purge')), -- null: open
  deleted_at                  timestamp,          -- soft_deleted intervals
  retention_days              integer,            -- soft_deleted intervals; null: unknown (interval stays open)
  is_iops_default             boolean default false, -- provisioned_iops is v2_recommended_iops, not observed
  is_mibps_default            boolean default false  -- provisioned_mibps is v2_recommended_mibps, not observed
);

-- grain: snapshot_resource_id × observed_at (canonical disk_snapshot.csv, or az snapshot list)
create table disk_snapshot_observation (
  observed_at          timestamp not null,
  snapshot_resource_id varchar not null,
  source_disk_id       varchar,
  redundancy           varchar not null,          -- lrs | zrs
  used_bytes           bigint,                    -- billed (used) size; ARM does not give it: null from az snapshot list
  created_at           timestamp,
  deleted_at           timestamp,
  source_kind          varchar not null,          -- csv | az_snapshot
  source_file          varchar not null,
  source_line          bigint,
  disk_size_bytes      bigint,                    -- ARM diskSizeBytes: the SOURCE disk's size, not what is billed
  primary key (snapshot_resource_id, observed_at)
);

-- grain: snapshot_interval_id. Derived by sql/inventory/disk_snapshot_interval.sql like share_interval: the first
-- observation of a snapshot holds from its created_at (a snapshot exists from creation), later ones from
-- max(observed_at, created_at), each until the next observation or deleted_at.
create table disk_snapshot_interval (
  snapshot_interval_id varchar primary key,
  snapshot_resource_id varchar not null,
  source_disk_id       varchar,
  redundancy           varchar not null,
  used_bytes           bigint,
  valid_from           timestamp not null,
  valid_to             timestamp,
  observed_at          timestamp not null,
  source_file          varchar not null,
  source_line          bigint,
  covered_to           timestamp,                 -- as share_interval.covered_to
  ends_by              varchar check (ends_by in ('next_observation', 'deleted')), -- null: open
  created_at           timestamp,
  disk_size_bytes      bigint
);

-- grain: billing_resource_id × hour × api_name (pay-as-you-go transaction counts, canonical transactions.csv)
create table transaction_count (
  usage_hour          timestamp not null,
  billing_resource_id varchar not null,
  api_name            varchar not null,
  bucket              varchar not null check (bucket in ('write', 'list', 'read', 'other', 'delete')),
  transaction_count   bigint not null check (transaction_count >= 0),
  source_file         varchar not null,
  source_line         bigint,
  primary key (billing_resource_id, usage_hour, api_name)
);

-- grain: storage_account_id × observed_at. The account's file service properties (az storage account
-- file-service-properties show): the share soft-delete retention a deleted share falls back to.
create table file_service_observation (
  observed_at                 timestamp not null,
  storage_account_id          varchar not null,
  share_delete_retention_days integer not null,   -- 0: soft delete off
  source_file                 varchar not null,
  source_line                 bigint,
  primary key (storage_account_id, observed_at)
);

-- grain: share_resource_id × snapshot_time × observed_at. Share snapshots listed with --include-snapshot
-- ($expand=snapshots). ARM gives no snapshot size; kept so a listing is never silently dropped.
create table share_snapshot_observation (
  observed_at       timestamp not null,
  share_resource_id varchar not null,
  snapshot_time     timestamp not null,
  source_kind       varchar not null,
  source_file       varchar not null,
  source_line       bigint,
  primary key (share_resource_id, snapshot_time, observed_at)
);

-- input_file: the inventory and transactions files of each stage's last loads, so a second night need not read
-- them again (issue 14). grain: stage × source_file. A stage whose files all match the rows of its latest load
-- (path, size, mtime, and the loader's own code: `loader`) is not re-read: re-loading them would give the same rows.
create table input_file (
  stage         varchar not null,               -- inventory | transactions
  source_file   varchar not null,
  byte_count    bigint not null,
  modified_ns   bigint not null,                -- mtime in ns, taken before the bytes were read
  record_count  bigint not null,                -- records (inventory) or rows (transactions) the file held
  load_seq      bigint not null,                -- which load of the stage read it (1, 2, …)
  loader        varchar not null,               -- digest of the code that read it (src/inventory, sql/inventory)
  primary key (stage, source_file)
);

-- ===== Provisioning ===================================================================================================

-- grain: violation_id = md5(rule | dimension | resource | valid_from), resource = the share, or the storage account
-- for account rules. One row per run of consecutive intervals in the same violating state (a downgrade is an
-- instant: valid_to = valid_from). Filled by src/provisioning (sql/provisioning/*.sql); a re-run replaces the rows
-- in its scope.
create table provisioning_violation (
  violation_id        varchar primary key,
  rule                varchar not null,   -- v2_min_storage, v2_max_iops, v1_min_storage, payg_max_storage,
                                          -- downgrade_within_24h, availability, account_v2_share_count, …
  dimension           varchar,            -- storage | iops | throughput | share_count; NULL for availability
  share_resource_id   varchar,            -- NULL for account rules
  billing_resource_id varchar not null,
  billing_model       varchar not null,
  media_tier          varchar not null,
  valid_from          timestamp not null, -- when the violating state was first observed
  valid_to            timestamp,          -- exclusive; NULL: still so at the last observation
  observed_at         timestamp not null, -- the observation the violation starts from
  usage_date          date not null,      -- UTC day valid_from falls on
  unit                varchar,            -- GiB | IOPS | MiB/s | shares
  limit_value         bigint,             -- the minimum or maximum broken
  actual_value        bigint,             -- the provisioned amount (peak over the run for account rules)
  previous_value      bigint,             -- downgrade: the amount before the lowering
  raised_at           timestamp,          -- downgrade: when the amount was last seen raised (NULL: not observed)
  downgrade_allowed_at timestamp,         -- downgrade: the earliest time lowering was allowed
  detail              varchar not null,   -- plain-English sentence with the numbers
  source_file         varchar,
  source_line         bigint
);

-- ===== Recompute: what every meter should have billed =================================================================

-- Recompute schema: what every meter should have billed, derived from share_interval, disk_snapshot_interval and
-- transaction_count by sql/recompute/*.sql. Each table is replaced slice by slice (scope: days × billed resources).
--
-- Exactness: a quantity is kept as an exact rational quantity_numerator / quantity_denominator. The numerator is an
-- integer in "base unit × seconds" (bytes for capacity meters, IOPS, MiB/s; plain transactions for the 10K meters);
-- the denominator turns it into the meter's unit (e.g. 3600 × 2^30 for GiB-hours, 86400 × days in month × 2^30 for
-- GiB-months, 10,000 for transaction buckets). Roll-ups add numerators (the denominator is constant per meter and
-- month) and divide once, so rounding never accumulates.
--
-- quantity is DECIMAL(38, 20): 18 integer digits hold the largest figure (a 4 PiB account for a 31-day month is
-- 3.2e9 GiB-hours; a BIGINT of transactions is 9.3e14 buckets); 20 fractional digits are finer than any export
-- quantity, and keep remainder × 10^20 inside HUGEINT for every denominator used (≤ 86400 × 31 × 2^30 ≈ 2.9e15).
-- The exact division is the macro exact_quotient_38_20 (sql/recompute/model.sql).

-- grain: source_resource_id × meter × usage_date. What one share, one disk snapshot, or (for the per-account
-- transaction meters) one account's transaction counts should have put on one meter on one UTC day.
-- A row exists when the quantity is > 0 or some of the day's input was unknown; absence plus inventory_coverage
-- means "nothing expected".
create table expected_share_usage (
  source_kind          varchar not null check (source_kind in ('share', 'disk_snapshot', 'transaction_count')),
  source_resource_id   varchar not null,   -- share id, snapshot id, or the billed account for transaction counts
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,   -- YYYY-MM of usage_date
  rule                 varchar not null,   -- src/recompute/rules.ts
  quantity             decimal(38, 20) not null,  -- in the meter's unit (contract.md), rounded at the 20th decimal
  quantity_numerator   hugeint not null,   -- exact: quantity = quantity_numerator / quantity_denominator
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,   -- byte_seconds | iops_seconds | mibps_seconds | transactions
  days_in_month        integer not null,
  covered_seconds      bigint,             -- seconds of the day the source's intervals for this meter cover
  unknown_seconds      bigint not null,    -- of those, seconds whose input (a size, a tier) is NULL: quantity is then a lower bound
  is_complete          boolean not null,   -- unknown_seconds = 0
  is_open_ended        boolean not null,   -- an interval with no valid_to was cut inside the day where the inventory
                                           -- stops vouching for it (its covered_to, else the horizon)
  horizon              timestamp,          -- where the open interval(s) were cut; null when none was
  primary key (source_resource_id, meter, usage_date)
);

-- grain: billing_resource_id × meter × usage_date. The share rows summed to the resource Azure bills: the storage
-- account for classic shares, the share for Microsoft.FileShares, the snapshot for disks.
create table expected_usage (
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,
  rule                 varchar not null,
  quantity             decimal(38, 20) not null,
  quantity_numerator   hugeint not null,
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,
  days_in_month        integer not null,
  source_count         integer not null,   -- shares / snapshots / transaction sources summed
  source_resource_ids  varchar[] not null,
  unknown_seconds      bigint not null,
  is_complete          boolean not null,
  is_open_ended        boolean not null,
  primary key (billing_resource_id, meter, usage_date)
);

-- grain: billing_resource_id × meter × billing_month. Roll-up of the expected_usage days present for that month.
create table expected_usage_month (
  billing_resource_id  varchar not null,
  meter                varchar not null,
  billing_month        varchar not null,
  rule                 varchar not null,
  quantity             decimal(38, 20) not null,
  quantity_numerator   hugeint not null,
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,
  days_in_month        integer not null,
  day_count            integer not null,   -- days with an expected_usage row
  source_count         integer not null,
  unknown_seconds      bigint not null,
  is_complete          boolean not null,
  is_open_ended        boolean not null,
  primary key (billing_resource_id, meter, billing_month)
);

-- grain: billing_resource_id × usage_date. Seconds of the UTC day on which the inventory observed the resource:
-- the union of its share / snapshot intervals (live or soft-deleted), the time after a share or snapshot is known
-- gone (its last interval ended) up to the horizon, and for accounts the span between their first and last
-- observation (storage_account_observation, share_observation). A day without a row was not observed at all.
create table inventory_coverage (
  billing_resource_id  varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,
  covered_seconds      bigint not null,   -- whole seconds (floor) of the day covered
  is_fully_covered     boolean not null,  -- all 86,400 seconds
  primary key (billing_resource_id, usage_date)
);

-- expected_interval: the evidence of expected_share_usage, one row per interval part (issue 14: an interval-id list
-- per day was an aggregate DuckDB cannot spill).
-- grain: source_resource_id × meter × usage_date × interval_from (no key index: it is written in bulk and read by
-- billed resource). An interval is named by its source and its valid_from — unique, as one source's intervals never
-- overlap (audit_interval.sql) — not by its id string: hourly inventory changes make this the largest table of the
-- recompute, and the id (source_resource_id || '@' || valid_from) would repeat the source's id in every row.
create table expected_interval (
  source_resource_id   varchar not null,
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  interval_from        timestamp not null   -- valid_from of the share / snapshot interval
);

-- ===== Billed: the meter catalog and billed usage in each meter key's unit =========================================

-- The catalog rows come from data/meter-catalog.csv (loadMeterCatalog), reloaded at every run.
-- The meter catalog states a verdict per row (issue 12): 'reconciled' rows map a meter to a canonical key;
-- 'not_reconciled' rows name Files and snapshot meters recon knows but does not reconcile (v1 paid bursting,
-- reservation purchases, File Sync, Disk Operations, Instant Access Snapshots); 'not_ours' rows name meters that
-- share Files or snapshot words but bill another service (Premium Page Blob snapshots). Only reconciled rows carry a
-- key and its model. media / redundancy / access_tier may be '*': read from the billed line's own text (the
-- meter name, else the subcategory, else the product), unknown when it does not state it.
create table meter_catalog (
  catalog_line        integer primary key,  -- physical line in the CSV (header = line 1)
  priority            integer not null,
  meter_id            varchar,              -- lower-cased meter GUID
  category_pattern    varchar,              -- against meter_category
  subcategory_pattern varchar,              -- against meter_subcategory
  name_pattern        varchar,              -- against meter_name
  verdict             varchar not null check (verdict in ('reconciled', 'not_reconciled', 'not_ours')),
  meter_key           varchar,              -- reconciled rows only
  model               varchar check (model in ('v2', 'v1', 'payg', 'disk')),
  media               varchar check (media in ('ssd', 'hdd', '*')),
  redundancy          varchar check (redundancy in ('lrs', 'zrs', 'grs', 'gzrs', 'ragrs', 'ragzrs', '*')),
  access_tier         varchar check (access_tier in ('hot', 'cool', 'transaction_optimized', '*')),
  is_free_companion   boolean not null,     -- a v2 '… Free' meter: its quantity counts toward the paid key
  note                varchar,
  source_path         varchar not null,
  loaded_at           timestamp not null,
  check (meter_id is not null or coalesce(category_pattern, subcategory_pattern, name_pattern) is not null),
  check ((verdict = 'reconciled') = (meter_key is not null and model is not null))
);

-- Read an access tier (hot | cool) from the meter name, else the product text. 'transaction_optimized' is never
-- read: no billed text spells it; catalog rows state it for the name forms that exist only for that tier.

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
  built_at                           timestamp not null,
  -- which price values the money at stake when a reservation or savings plan covers part of the usage (NULL: the
  -- billed price of on-demand usage): an ActualCost line bills covered usage at 0, so money is valued at the
  -- amortized price of the same usage when an amortized or FOCUS delivery of it was delivered, else unknown.
  price_basis                        varchar
);
-- (grain: product × sku × meter_name × unit_of_measure × region). Used only to price wrong_meter findings at list
-- price: the bill does not show the price of the meter that should have been billed.
create table retail_meter_price (
  product          varchar not null,   -- retail productName = billed MeterSubCategory
  sku              varchar,
  meter_name       varchar not null,
  unit_of_measure  varchar not null,
  region           varchar not null,   -- armRegionName, e.g. westeurope
  currency         varchar not null,   -- USD (the retail API's default currency)
  retail_price     decimal(38, 18) not null,
  source_id        varchar not null
);

-- ===== Diff =========================================================================================================

-- finding: one classified discrepancy between what was billed and what should have been (grain: finding_id).
-- The columns up to `explanation` are the public finding schema of contract.md (same names in JSON, CSV, Parquet);
-- the rest is evidence for `recon explain` and the HTML report. Rebuilt per billing month by the diff stage.
create table finding (
  finding_id          varchar primary key,     -- sha256 of billing_resource_id|meter|usage_date|kind (first 16 hex)
  billing_month       varchar not null,        -- YYYY-MM
  usage_date          date,                    -- null for month-level findings
  billing_resource_id varchar,                 -- lower-cased ARM id; null only for a line with no resource
  meter               varchar,                 -- canonical meter key; null for unmapped_meter
  kind                varchar not null check (kind in ('missing_charge', 'unexpected_charge', 'quantity_mismatch',
                        'unit_mismatch', 'wrong_meter', 'duplicate_charge', 'unmapped_meter', 'price_mismatch',
                        'metadata_violation', 'unverifiable', 'misdated_charge')),
  severity            varchar not null check (severity in ('high', 'medium', 'low')),
  billed_quantity     decimal(38, 18),
  expected_quantity   decimal(38, 18),
  delta_quantity      decimal(38, 18),
  billed_cost         decimal(38, 18),
  cost_impact         decimal(38, 18),         -- money at stake in billing currency, always >= 0
  currency            varchar,
  provisional         boolean not null,
  explanation         varchar not null,
  -- evidence (not part of the public schema)
  rule                varchar,                 -- the recompute rule or check that produced the expected side
  unit_convention     varchar,                 -- unit_mismatch: the convention the billed figure matches
  evidence            json,                    -- source lines, intervals, deliveries
  run_id              varchar not null,
  -- money_direction: where the money at stake goes (filled by sql/diff/finding.sql).
  --   overbilled   Azure billed more than the inventory explains: claimable.
  --   underbilled  Azure billed less than it should have: owed (Azure may still bill it).
  --   unverifiable billed, but recon cannot check it (no inventory for the resource or day, an unknown meter).
  --   none         no money is at stake or its amount is unknown (metadata_violation, a wrong meter whose price is
  --                not in the inputs).
  -- overbilled_cost / underbilled_cost / unverifiable_cost: cost_impact (≥ 0) in the column of its direction, null in
  --   the others; unverifiable_cost falls back to billed_cost where cost_impact is unknown. cost_impact keeps its
  --   meaning (money at stake, unsigned).
  money_direction     varchar,
  overbilled_cost     decimal(38, 18),
  underbilled_cost    decimal(38, 18),
  unverifiable_cost   decimal(38, 18)
);

-- comparison: the diff's full outer join of billed and expected usage (grain: billing_resource_id × meter ×
-- usage_date). Every compared cell, matching or not: the report charts billed vs expected from it.
create table comparison (
  billing_month       varchar not null,
  billing_resource_id varchar not null,
  meter               varchar not null,
  usage_date          date not null,
  billed_quantity     decimal(38, 18),         -- null: nothing billed
  expected_quantity   decimal(38, 18),         -- null: nothing expected (or not computable)
  delta_quantity      decimal(38, 18),         -- billed − expected, nulls as 0
  billed_cost         decimal(38, 18),
  effective_price     decimal(38, 18),
  currency            varchar,
  is_covered          boolean not null,        -- an inventory observation covers this resource and day
  status              varchar not null check (status in ('match', 'finding', 'unverifiable')),
  primary key (billing_resource_id, meter, usage_date)
);
