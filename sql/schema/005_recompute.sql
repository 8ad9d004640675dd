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

-- exact_quotient_38_20(numerator, denominator): numerator / denominator rounded half-up at the 20th decimal, as
-- DECIMAL(38, 20), with integer arithmetic only. DuckDB's `/` on DECIMAL or HUGEINT returns DOUBLE, so it is never
-- used for quantities. quotient × 10^20 + round(remainder × 10^20 / denominator) is an exact HUGEINT (both terms are
-- checked for overflow by DuckDB); multiplying that scaled integer, as DECIMAL(38, 0), by 10^-20 as DECIMAL(21, 20)
-- yields DECIMAL(38, 20) without loss (test/recompute/exact-division.test.ts). Numerators are never negative.
create macro exact_quotient_38_20(numerator, denominator) as (
  (numerator::hugeint // denominator::hugeint) * '100000000000000000000'::hugeint
  + ((numerator::hugeint % denominator::hugeint) * '200000000000000000000'::hugeint + denominator::hugeint)
    // (2 * denominator::hugeint)
)::decimal(38, 0) * 0.00000000000000000001::decimal(21, 20);

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
  interval_ids         varchar[],          -- share_interval_id / snapshot_interval_id that contributed; null for transactions
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
  interval_ids         varchar[],
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
