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

-- Lenient-but-exact parsers for inventory text (all_varchar CSV cells, JSON scalars). Each returns NULL when the
-- text is not of its type, so callers can tell "absent" (NULL text) from "bad" (text given, NULL result).

-- ISO-8601 (Z, ±hh:mm, or no zone = UTC; seconds optional; date only = midnight) or RFC-1123 ('Sat, 26 Oct 2024
-- 01:50:50 GMT', as ARM writes next*DowngradeTime) → UTC timestamp.
create macro inv_timestamp(text) as coalesce(
  -- coalesce stops at the first non-NULL: the plain cast handles the common full ISO form cheaply
  try_cast(trim(text) as timestamptz)::timestamp,
  try_cast(
    regexp_replace(trim(text), '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(Z|[+-][0-9]{2}:?[0-9]{2})?$', '\1:00\2')
    as timestamptz
  )::timestamp,
  try_strptime(trim(text), '%a, %d %b %Y %H:%M:%S GMT')
);

-- Integers only: '10.0', '1e3' or '12 GiB' are not integers here (TRY_CAST alone would round or accept them);
-- beyond BIGINT is NULL too.
create macro inv_bigint(text) as
  case when regexp_full_match(trim(text), '[+-]?[0-9]+') then try_cast(trim(text) as bigint) end;

create macro inv_boolean(text) as
  case lower(trim(text)) when 'true' then true when '1' then true when 'false' then false when '0' then false end;

-- NULL for absent or blank text (CSV cells, JSON nulls).
create macro inv_text(text) as nullif(trim(text), '');

-- ISO text of a timestamp for ids and messages: 2024-03-01T00:00:00Z, with microseconds only when present.
create macro inv_iso(ts) as
  case when epoch_us(ts) % 1000000 = 0 then strftime(ts, '%Y-%m-%dT%H:%M:%SZ') else strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') end;

-- A property of an ARM resource as ARM REST writes it (nested under properties) or as az prints it (flattened).
create macro inv_prop(item, name) as
  coalesce(json_extract_string(item, '$.properties.' || name), json_extract_string(item, '$.' || name));

-- The problem with a non-negative integer field, or NULL when it is absent or fine.
create macro inv_count_problem(name, text) as
  case
    when inv_text(text) is null then null
    when inv_bigint(text) is null then name || ' ''' || trim(text) || ''' is not an integer'
    when inv_bigint(text) < 0 then name || ' is negative (' || trim(text) || ')'
  end;

-- The problem with a timestamp field, or NULL when it is absent or fine.
create macro inv_timestamp_problem(name, text) as
  case
    when inv_text(text) is not null and inv_timestamp(text) is null
      then name || ' ''' || trim(text) || ''' is not an ISO-8601 timestamp'
  end;

-- The problems of a record joined with '; ' (NULL when there are none).
create macro inv_reasons(problems) as nullif(array_to_string(list_filter(problems, p -> p is not null), '; '), '');

-- Storage-account SKU → billing model, media and redundancy (billing-rules.md §1). RA-GRS and RA-GZRS: Azure
-- Files does not offer read access to the secondary and bills those accounts' shares as GRS and GZRS.
create macro inv_sku_billing_model(sku) as
  case
    when lower(sku) in ('premiumv2_lrs', 'premiumv2_zrs') then 'v2'
    when lower(sku) in ('standardv2_lrs', 'standardv2_zrs', 'standardv2_grs', 'standardv2_gzrs') then 'v2'
    when lower(sku) in ('premium_lrs', 'premium_zrs') then 'v1'
    when lower(sku) in ('standard_lrs', 'standard_zrs', 'standard_grs', 'standard_gzrs', 'standard_ragrs', 'standard_ragzrs')
      then 'payg'
  end;
create macro inv_sku_media_tier(sku) as
  case when inv_sku_billing_model(sku) is not null then case when lower(sku) like 'premium%' then 'ssd' else 'hdd' end end;
create macro inv_redundancy(text) as
  case lower(trim(text))
    when 'lrs' then 'lrs' when 'zrs' then 'zrs' when 'grs' then 'grs' when 'gzrs' then 'gzrs'
    when 'ragrs' then 'grs' when 'ragzrs' then 'gzrs' when 'ra-grs' then 'grs' when 'ra-gzrs' then 'gzrs'
  end;
create macro inv_sku_redundancy(sku) as
  case when inv_sku_billing_model(sku) is not null then inv_redundancy(split_part(sku, '_', 2)) end;

-- A JSON value's kind in JSON's own words (json_type says VARCHAR, UBIGINT …), for messages.
create macro inv_json_kind(value) as
  case json_type(value)
    when 'OBJECT' then 'object' when 'ARRAY' then 'array' when 'VARCHAR' then 'string' when 'BOOLEAN' then 'boolean'
    when 'NULL' then 'null' else 'number'
  end;
