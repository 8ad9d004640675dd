-- diff_parameter: the diff run's settings, bound once (grain: one row). Every other sql/diff file reads them from
-- here, so values never travel as SQL text. The thresholds come from src/diff/policy.ts.
create or replace temp table diff_parameter as
select
  $run_id::varchar as run_id,
  $tolerance::decimal(38, 18) as tolerance_quantity, -- absolute, in the meter's unit
  $tolerance_pct::decimal(38, 6) * 0.01::decimal(3, 2) as tolerance_ratio,  -- tolerance_pct ÷ 100, exact
  $settle_hours::integer as settle_hours,
  $unrecomputed_meters::varchar[] as unrecomputed_meters,   -- meters recompute cannot compute (rules.ts: null)
  $severity_high_cost::decimal(38, 18) as severity_high_cost,
  $severity_medium_cost::decimal(38, 18) as severity_medium_cost
