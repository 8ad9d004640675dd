-- The recompute's exact division and the evidence view over expected_interval. Created when the warehouse is opened
-- (src/db/model.ts). Quantities are exact rationals; see the recompute tables in sql/schema/001_baseline.sql.

-- exact_quotient_38_20(numerator, denominator): numerator / denominator rounded half-up at the 20th decimal, as
-- DECIMAL(38, 20), with integer arithmetic only. DuckDB's `/` on DECIMAL or HUGEINT returns DOUBLE, so it is never
-- used for quantities. quotient × 10^20 + round(remainder × 10^20 / denominator) is an exact HUGEINT (both terms are
-- checked for overflow by DuckDB); multiplying that scaled integer, as DECIMAL(38, 0), by 10^-20 as DECIMAL(21, 20)
-- yields DECIMAL(38, 20) without loss (test/recompute/exact-division.test.ts). Numerators are never negative.
create or replace macro exact_quotient_38_20(numerator, denominator) as (
  (numerator::hugeint // denominator::hugeint) * '100000000000000000000'::hugeint
  + ((numerator::hugeint % denominator::hugeint) * '200000000000000000000'::hugeint + denominator::hugeint)
    // (2 * denominator::hugeint)
)::decimal(38, 0) * 0.00000000000000000001::decimal(21, 20);

-- expected_interval with the interval's id (share_interval_id / snapshot_interval_id); in time order per source.
-- The id is derived (inv_interval_id), not joined from the interval tables: a join ran over every expected interval
-- before a reader could narrow them (8 s of the bench night's findings, for 669 finding cells).
create or replace view expected_interval_source as
select
  e.*,
  inv_interval_id(e.source_resource_id, e.interval_from) as source_interval_id
from expected_interval as e;

-- interval_ids_in_order(source_resource_id, interval_start, interval_id): an aggregate over a day's or an hour's
-- intervals, their ids source by source, each source's in time order: the evidence of an expected row (export,
-- dispute, hourly dispute evidence).
create or replace macro interval_ids_in_order(source_resource_id, interval_start, interval_id) as
  values_in_key_order(list({k: {share: source_resource_id, start: interval_start}, v: interval_id}));
