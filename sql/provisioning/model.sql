-- Provisioning rules (billing-rules.md §1–§4): the formulas as macros, the limits and the availability matrix as
-- data, and each share's burst figures. Created when the warehouse is opened (src/db/model.ts): the two rule tables
-- are rebuilt from this file, so changing a limit is editing a row here. The checks themselves are
-- sql/provisioning/*.sql.

-- Provisioning formulas of billing-rules.md §2 and §3, once, as SQL macros: the interval builder fills in
-- recommended v2 IOPS/throughput when a share gives none, and the provisioning checks reuse the same formulas.
-- Arguments are integers (GiB, IOPS); results are BIGINT. ceil() on the DECIMAL product keeps it exact.

-- Recommended IOPS for a provisioned v2 share (SSD: 3000 + 1/GiB, HDD: 1000 + 0.2/GiB, clamped to the media's range).
create or replace macro v2_recommended_iops(media_tier, provisioned_gib) as
  case media_tier
    when 'ssd' then least(greatest(3000 + ceil(provisioned_gib::decimal(18, 0) * 1), 3000), 102400)::bigint
    when 'hdd' then least(greatest(1000 + ceil(provisioned_gib::decimal(18, 0) * 0.2), 500), 50000)::bigint
  end;

-- Recommended throughput (MiB/s) for a provisioned v2 share.
create or replace macro v2_recommended_mibps(media_tier, provisioned_gib) as
  case media_tier
    when 'ssd' then least(greatest(100 + ceil(provisioned_gib::decimal(18, 0) * 0.1), 100), 10340)::bigint
    when 'hdd' then least(greatest(60 + ceil(provisioned_gib::decimal(18, 0) * 0.02), 60), 5120)::bigint
  end;

-- v2 burst limit from provisioned IOPS.
create or replace macro v2_burst_limit_iops(media_tier, provisioned_iops) as
  case media_tier
    when 'ssd' then least(greatest(3 * provisioned_iops::bigint, 10000), 102400)::bigint
    when 'hdd' then least(greatest(3 * provisioned_iops::bigint, 5000), 50000)::bigint
  end;

-- v1 (SSD) baseline IOPS, throughput and burst limit from provisioned GiB.
create or replace macro v1_baseline_iops(provisioned_gib) as least(3000 + provisioned_gib::bigint, 102400)::bigint;

create or replace macro v1_throughput_mibps(provisioned_gib) as
  least(100 + ceil(provisioned_gib::decimal(18, 0) * 0.04) + ceil(provisioned_gib::decimal(18, 0) * 0.06), 10340)::bigint;

create or replace macro v1_burst_limit_iops(provisioned_gib) as least(greatest(3 * provisioned_gib::bigint, 10000), 102400)::bigint;

-- Burst credits: (burst limit − baseline) × 3600 seconds.
create or replace macro burst_credits(burst_limit_iops, baseline_iops) as ((burst_limit_iops - baseline_iops) * 3600)::bigint;

-- grain: billing_model × media_tier × limit_scope × dimension. Per-share and per-storage-account limits. NULL means
-- "no limit on that side". Only limits Azure enforces at provisioning time belong here: v1 used IOPS/throughput per
-- account and the pay-as-you-go account limits are throttles or caps on use, not states the inventory could violate.
create or replace table provisioning_limit (
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
create or replace table provisioning_availability (
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

-- grain: share_interval_id (live v1 and v2 intervals). Burst limit and credits per §2 and §3, from the effective
-- provisioned IOPS (v2) or provisioned GiB (v1). Values are the formulas' even where the inputs break the limits;
-- provisioning_violation says when they do.
create or replace view share_burst as
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
