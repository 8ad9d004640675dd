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

-- A CSV cell as it would be written back (quoted when it must be): raw_text of a quarantined CSV row.
-- contains() rather than a regex: this runs on every cell of every row.
create or replace temp macro inv_csv_cell(text) as
  case
    when text is null then ''
    when contains(text, '"') or contains(text, ',') or contains(text, chr(10)) or contains(text, chr(13))
      then '"' || replace(text, '"', '""') || '"'
    else text
  end;
