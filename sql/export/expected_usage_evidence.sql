-- export_expected_usage_evidence (temp table) — grain: billing_resource_id × meter × usage_date, one billing month
-- ($billing_month): the intervals behind each day, share by share, each share's in time order (expected_interval
-- keeps them one row each; the list exists only in the export, read by expected_usage.sql). Built a batch of usage
-- dates at a time, [$from_date, $to_date] (src/db/date-batches.ts says why).
select
  billing_resource_id,
  meter,
  usage_date,
  values_in_key_order(list({k: {share: source_resource_id, start: interval_from}, v: source_interval_id}))
    as interval_ids
from expected_interval_source
where strftime(usage_date, '%Y-%m') = $billing_month
  and usage_date between $from_date::date and $to_date::date
group by all
