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
  redundancy                  varchar not null,   -- lrs | zrs | grs | gzrs | ragrs | ragzrs
  share_delete_retention_days integer,            -- null: unknown; 0: soft delete off
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
  primary key (share_resource_id, observed_at)
);

-- grain: share_interval_id. Derived: each observation holds from observed_at until the next observation of the
-- same share (valid_to exclusive; NULL = no later observation yet). A deleted share is 'soft_deleted' from
-- deleted_at until deleted_at + retention_days, then has no interval (gone). Time no interval covers is unknown.
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
  source_line                 bigint
);

-- grain: snapshot_resource_id × observed_at (canonical disk_snapshot.csv, or az snapshot list)
create table disk_snapshot_observation (
  observed_at          timestamp not null,
  snapshot_resource_id varchar not null,
  source_disk_id       varchar,
  redundancy           varchar not null,          -- lrs | zrs
  used_bytes           bigint,
  created_at           timestamp,
  deleted_at           timestamp,
  source_kind          varchar not null,
  source_file          varchar not null,
  source_line          bigint,
  primary key (snapshot_resource_id, observed_at)
);

-- grain: snapshot_interval_id. Derived like share_interval: from max(observed_at, created_at) until the next
-- observation or deleted_at.
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
  source_line          bigint
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
