-- Provisioning rules as data (billing-rules.md §1–§4) and the violations the provisioning stage finds
-- (sql/provisioning/*.sql). The formulas themselves are the macros of 004_provisioning_macros.sql.

-- grain: billing_model × media_tier × limit_scope × dimension. Per-share and per-storage-account limits. NULL means
-- "no limit on that side". Only limits Azure enforces at provisioning time belong here: v1 used IOPS/throughput per
-- account and the pay-as-you-go account limits are throttles or caps on use, not states the inventory could violate.
create table provisioning_limit (
  billing_model varchar not null check (billing_model in ('v1', 'v2', 'payg')),
  media_tier    varchar not null check (media_tier in ('ssd', 'hdd')),
  limit_scope   varchar not null check (limit_scope in ('share', 'account')),
  dimension     varchar not null check (dimension in ('storage', 'iops', 'throughput', 'share_count')),
  unit          varchar not null,   -- GiB | IOPS | MiB/s | shares
  min_value     bigint,
  max_value     bigint,
  primary key (billing_model, media_tier, limit_scope, dimension)
);

insert into provisioning_limit values
  -- §2 provisioned v2, per share
  ('v2', 'ssd', 'share', 'storage', 'GiB', 32, 262144),
  ('v2', 'ssd', 'share', 'iops', 'IOPS', 3000, 102400),
  ('v2', 'ssd', 'share', 'throughput', 'MiB/s', 100, 10340),
  ('v2', 'hdd', 'share', 'storage', 'GiB', 32, 262144),
  ('v2', 'hdd', 'share', 'iops', 'IOPS', 500, 50000),
  ('v2', 'hdd', 'share', 'throughput', 'MiB/s', 60, 5120),
  -- §2 provisioned v2, per storage account (classic shares; soft-deleted shares count until purged)
  ('v2', 'ssd', 'account', 'storage', 'GiB', null, 262144),
  ('v2', 'ssd', 'account', 'iops', 'IOPS', null, 102400),
  ('v2', 'ssd', 'account', 'throughput', 'MiB/s', null, 10340),
  ('v2', 'ssd', 'account', 'share_count', 'shares', null, 50),
  ('v2', 'hdd', 'account', 'storage', 'GiB', null, 4194304),
  ('v2', 'hdd', 'account', 'iops', 'IOPS', null, 50000),
  ('v2', 'hdd', 'account', 'throughput', 'MiB/s', null, 5120),
  ('v2', 'hdd', 'account', 'share_count', 'shares', null, 50),
  -- §3 provisioned v1: storage per share; per account only storage is enforced at provisioning time (the 1,024
  -- share limit follows from it: 1,025 shares of at least 100 GiB exceed 102,400 GiB).
  ('v1', 'ssd', 'share', 'storage', 'GiB', 100, 102400),
  ('v1', 'ssd', 'account', 'storage', 'GiB', null, 102400),
  -- §4 pay-as-you-go: the quota does not affect the bill; only a quota no share can have (over the 100 TiB
  -- maximum, or under the 1 GiB unit) is reported.
  ('payg', 'hdd', 'share', 'storage', 'GiB', 1, 102400);

-- grain: billing_model × resource_kind × media_tier × redundancy × protocol. Every combination Azure offers (§1 and
-- the seed's availability tables); a share matching none of them is a metadata violation. Pay-as-you-go also lists
-- the read-access geo SKUs (Standard_RAGRS/RAGZRS), which bill as GRS/GZRS.
create table provisioning_availability (
  billing_model varchar not null,
  resource_kind varchar not null,
  media_tier    varchar not null,
  redundancy    varchar not null,
  protocol      varchar not null,
  primary key (billing_model, resource_kind, media_tier, redundancy, protocol)
);

insert into provisioning_availability
select * from (values ('v2', 'classic', 'ssd'), ('v1', 'classic', 'ssd')) m(billing_model, resource_kind, media_tier)
  cross join (values ('lrs'), ('zrs')) r(redundancy)
  cross join (values ('smb'), ('nfs')) p(protocol)
union all
select 'v2', 'classic', 'hdd', redundancy, 'smb' from (values ('lrs'), ('zrs'), ('grs'), ('gzrs')) r(redundancy)
union all
select 'v2', 'fileshares', 'ssd', redundancy, 'nfs' from (values ('lrs'), ('zrs')) r(redundancy)
union all
select 'payg', 'classic', 'hdd', redundancy, 'smb'
from (values ('lrs'), ('zrs'), ('grs'), ('gzrs'), ('ragrs'), ('ragzrs')) r(redundancy);

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

-- grain: share_interval_id (live v1 and v2 intervals). Burst limit and credits per §2 and §3, from the effective
-- provisioned IOPS (v2) or provisioned GiB (v1). Values are the formulas' even where the inputs break the limits;
-- provisioning_violation says when they do.
create view share_burst as
with
intervals as (
  select * from share_interval where state = 'live' and billing_model in ('v1', 'v2')
),
baseline as (
  select
    share_interval_id,
    share_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    case billing_model
      when 'v2' then provisioned_iops
      when 'v1' then v1_baseline_iops(provisioned_gib)
    end as baseline_iops,
    case billing_model
      when 'v2' then v2_burst_limit_iops(media_tier, provisioned_iops)
      when 'v1' then v1_burst_limit_iops(provisioned_gib)
    end as burst_limit_iops
  from intervals
),
final as (
  select *, burst_credits(burst_limit_iops, baseline_iops) as burst_credits_io from baseline
)
select * from final;
