-- 002: share_observation, share_interval and transaction_count without their primary keys. A key is an ART index
-- DuckDB holds in memory and merges at commit: a month of hourly observations of 10,000 shares (7.3M rows in each
-- share table) failed the inventory stage's commit under --memory-limit 1GB, and two such keyed tables alone fail
-- it (measured 2026-12-04); an hourly transactions file for a month of 100,000 accounts has 10.9M keys.
-- As for billing_line, the grain is kept by construction and checked by an audit instead:
--   share_observation (share_resource_id × observed_at): the inventory stage deletes every key it writes, then
--     inserts one merged row per key (sql/inventory/share_observation.sql groups by it);
--   share_interval (share_interval_id = share_resource_id @ valid_from): two intervals of one id are two intervals
--     of one share from the same time, which the recompute's audit refuses as overlapping
--     (sql/recompute/audit_interval.sql);
--   transaction_count (billing_resource_id × usage_hour × api_name): the transactions stage deletes every key it
--     writes and rejects a repeated key after its first row (sql/inventory/transaction_record.sql).
-- DuckDB cannot drop a constraint, so each table is rebuilt with its rows and the same columns and checks.

create table share_observation_unkeyed (
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
  next_mibps_downgrade_at     timestamp           -- nextAllowedProvisionedBandwidthDowngradeTime / …Throughput…
);

insert into share_observation_unkeyed select * from share_observation;
drop table share_observation;
alter table share_observation_unkeyed rename to share_observation;

create table share_interval_unkeyed (
  share_interval_id           varchar not null,    -- share_resource_id || '@' || valid_from (ISO)
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

insert into share_interval_unkeyed select * from share_interval;
drop table share_interval;
alter table share_interval_unkeyed rename to share_interval;

create table transaction_count_unkeyed (
  usage_hour          timestamp not null,
  billing_resource_id varchar not null,
  api_name            varchar not null,
  bucket              varchar not null check (bucket in ('write', 'list', 'read', 'other', 'delete')),
  transaction_count   bigint not null check (transaction_count >= 0),
  source_file         varchar not null,
  source_line         bigint
);

insert into transaction_count_unkeyed select * from transaction_count;
drop table transaction_count;
alter table transaction_count_unkeyed rename to transaction_count;
