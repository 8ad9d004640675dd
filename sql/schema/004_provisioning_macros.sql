-- Provisioning formulas of billing-rules.md §2 and §3, once, as SQL macros: the interval builder fills in
-- recommended v2 IOPS/throughput when a share gives none, and the provisioning checks reuse the same formulas.
-- Arguments are integers (GiB, IOPS); results are BIGINT. ceil() on the DECIMAL product keeps it exact.

-- Recommended IOPS for a provisioned v2 share (SSD: 3000 + 1/GiB, HDD: 1000 + 0.2/GiB, clamped to the media's range).
create macro v2_recommended_iops(media_tier, provisioned_gib) as
  case media_tier
    when 'ssd' then least(greatest(3000 + ceil(provisioned_gib::decimal(18, 0) * 1), 3000), 102400)::bigint
    when 'hdd' then least(greatest(1000 + ceil(provisioned_gib::decimal(18, 0) * 0.2), 500), 50000)::bigint
  end;

-- Recommended throughput (MiB/s) for a provisioned v2 share.
create macro v2_recommended_mibps(media_tier, provisioned_gib) as
  case media_tier
    when 'ssd' then least(greatest(100 + ceil(provisioned_gib::decimal(18, 0) * 0.1), 100), 10340)::bigint
    when 'hdd' then least(greatest(60 + ceil(provisioned_gib::decimal(18, 0) * 0.02), 60), 5120)::bigint
  end;

-- v2 burst limit from provisioned IOPS.
create macro v2_burst_limit_iops(media_tier, provisioned_iops) as
  case media_tier
    when 'ssd' then least(greatest(3 * provisioned_iops::bigint, 10000), 102400)::bigint
    when 'hdd' then least(greatest(3 * provisioned_iops::bigint, 5000), 50000)::bigint
  end;

-- v1 (SSD) baseline IOPS, throughput and burst limit from provisioned GiB.
create macro v1_baseline_iops(provisioned_gib) as least(3000 + provisioned_gib::bigint, 102400)::bigint;
create macro v1_throughput_mibps(provisioned_gib) as
  least(100 + ceil(provisioned_gib::decimal(18, 0) * 0.04) + ceil(provisioned_gib::decimal(18, 0) * 0.06), 10340)::bigint;
create macro v1_burst_limit_iops(provisioned_gib) as least(greatest(3 * provisioned_gib::bigint, 10000), 102400)::bigint;

-- Burst credits: (burst limit − baseline) × 3600 seconds.
create macro burst_credits(burst_limit_iops, baseline_iops) as ((burst_limit_iops - baseline_iops) * 3600)::bigint;
