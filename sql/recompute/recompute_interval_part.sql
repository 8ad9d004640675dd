-- recompute_interval_part (temp table) — grain: source_interval_id × meter × bucket_start.
-- recompute_interval_bucket computed once per scope: recompute_share_usage (the integral) and expected_interval (the
-- evidence) both read it, and the rules, the clipping and the split at bucket boundaries are not run twice. Only the
-- columns they read: at hourly inventory changes this is the largest relation of the recompute.
create or replace temp table recompute_interval_part as
select
  source_kind,
  valid_from,
  source_resource_id,
  billing_resource_id,
  meter,
  bucket_start,
  rule,
  unit_kind,
  numerator_unit,
  denominator_base,
  amount,
  is_amount_known,
  is_open_ended,
  clipped_to,
  overlap_seconds
from recompute_interval_bucket;
