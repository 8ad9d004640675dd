-- Staging for one ingestInventory / ingestTransactions call: temp tables, replaced at the start of every call.
-- Everything is text here (CSV cells and JSON items as read); sql/inventory/*_record.sql types and checks it.

-- grain: source_file. The files of this call, in the order they are read (file_ord: later files win merges).
create or replace temp table inventory_stage_file (
  source_file varchar not null,
  file_ord    integer not null,
  file_kind   varchar not null,                   -- share_state_csv | disk_snapshot_csv | transactions_csv | json
  record_count bigint not null
);

-- grain: source_file × item_index. One item of a JSON document (array element, value[]/items[] element, or the
-- document itself), with the observation time the file gives (wrapper observedAt, else its path).
create or replace temp table inventory_stage_json_item (
  source_file      varchar not null,
  file_ord         integer not null,
  item_index       bigint not null,               -- 1-based
  observed_at_text varchar not null,
  item             json not null,
  item_kind        varchar not null               -- storage_account | file_service | classic_share | fileshare | disk_snapshot | unknown
);

-- grain: source_file × source_line. Canonical share_state.csv rows.
create or replace temp table inventory_stage_share_csv (
  source_file                 varchar not null,
  file_ord                    integer not null,
  source_line                 bigint not null,
  raw_text                    varchar,
  observed_at                 varchar,            -- the row's observed_at, else the file's path time
  share_resource_id           varchar,
  billing_resource_id         varchar,
  billing_model               varchar,
  media_tier                  varchar,
  redundancy                  varchar,
  protocol                    varchar,
  access_tier                 varchar,
  provisioned_gib             varchar,
  provisioned_iops            varchar,
  provisioned_mibps           varchar,
  used_bytes                  varchar,
  snapshot_differential_bytes varchar,
  metadata_bytes              varchar,
  is_deleted                  varchar,
  deleted_at                  varchar,
  retention_days              varchar
);

-- grain: source_file × source_line. Canonical disk_snapshot.csv rows.
create or replace temp table inventory_stage_disk_snapshot_csv (
  source_file          varchar not null,
  file_ord             integer not null,
  source_line          bigint not null,
  raw_text             varchar,
  observed_at          varchar,
  snapshot_resource_id varchar,
  source_disk_id       varchar,
  redundancy           varchar,
  used_bytes           varchar,
  created_at           varchar,
  deleted_at           varchar
);

-- grain: source_file × source_line. Canonical transactions.csv rows.
create or replace temp table inventory_stage_transaction_csv (
  source_file         varchar not null,
  file_ord            integer not null,
  source_line         bigint not null,
  raw_text            varchar,
  hour                varchar,
  billing_resource_id varchar,
  api_name            varchar,
  count               varchar
);

-- grain: api_name (lower-cased). The transaction category table of src/billing/transaction-buckets.ts.
create or replace temp table inventory_api_bucket (
  api_name       varchar primary key,            -- lower-cased, for matching
  canonical_name varchar not null,               -- as the table spells it, e.g. PutRange
  bucket         varchar not null
);

-- CSV line mapping of the file being loaded (from src/ingest/csv-scan.ts): DuckDB skips blank records, and
-- quoted values may span lines, so a row's physical line is computed, not counted.
create or replace temp table inventory_csv_blank_shift (
  from_row_index bigint not null,                 -- rows with this 0-based index or later …
  blank_count    bigint not null                  -- … sit after this many blank records
);
create or replace temp table inventory_csv_line_offset (
  ordinal     bigint not null,                    -- from this record ordinal on (header = 1) …
  line_offset bigint not null                     -- … the record starts on physical line ordinal + line_offset
);

-- Plausibility bounds: values a parser accepts but no real inventory holds. Times fall in the years 2000 to 2099;
-- 'infinity', 'epoch', 0001-01-01 and 9999-12-31 (.NET's DateTime.MinValue / MaxValue) are "not set"
-- placeholders, and a share deleted in year 1 would silently be purged before it was ever observed.
create or replace temp macro inv_is_plausible_time(ts) as ts >= timestamp '2000-01-01' and ts < timestamp '2100-01-01';
create or replace temp macro inv_time_problem(name, text, ts) as
  case
    when inv_text(text) is null then null
    when ts is null then name || ' ''' || trim(text) || ''' is not an ISO-8601 timestamp'
    when not inv_is_plausible_time(ts) then name || ' ''' || trim(text) || ''' is not a plausible time (years 2000 to 2099)'
  end;

-- The problem with a non-negative integer field, or NULL when it is absent or fine. max_value lies far beyond any
-- Azure limit (a share over Azure's maximum is a provisioning violation to report, not bad input) but keeps every
-- later sum and product inside BIGINT and DECIMAL(38, 20); a value beyond BIGINT is too large, not "not an integer".
create or replace temp macro inv_amount_problem(name, text, max_value) as
  case
    when inv_text(text) is null then null
    when not regexp_full_match(trim(text), '[+-]?[0-9]+') then name || ' ''' || trim(text) || ''' is not an integer'
    when starts_with(trim(text), '-') and coalesce(inv_bigint(text), -1) < 0
      then name || ' is negative (' || trim(text) || ')'
    when coalesce(inv_bigint(text) > max_value, true)
      then name || ' ' || trim(text) || ' is implausibly large (more than ' || max_value || ')'
  end;
-- Bounds: bytes as far as BIGINT goes (byte counts are divided by 2^30 before any product), 1 EiB in GiB (also
-- used for IOPS and MiB/s: provisioned_gib::decimal(18, 0) in the v2 formulas needs far less than BIGINT), Azure's
-- longest share soft-delete retention, and transactions in one hour on one account (at most 40,000 IOPS: 1.44e8).
create or replace temp macro inv_max_bytes() as 9223372036854775807;
create or replace temp macro inv_max_gib() as 1073741824;
create or replace temp macro inv_max_retention_days() as 365;
create or replace temp macro inv_max_transactions() as 1000000000000;

-- The problem with an ARM member that must be a JSON object when present (properties, sku), or NULL.
create or replace temp macro inv_object_problem(item, name) as
  case
    when json_type(item, '$.' || name) is not null and json_type(item, '$.' || name) <> 'OBJECT'
      then name || ' is a JSON ' || inv_json_kind(json_extract(item, '$.' || name)) || ', not an object'
  end;
