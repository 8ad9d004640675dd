-- expected_usage — grain: billing_resource_id × meter × usage_date.
-- The share rows of the scope's slice summed to the resource Azure bills (storage account for classic shares, the
-- share for Microsoft.FileShares, the snapshot for disks). Numerators are added exactly — the denominator is the same
-- for every share of one meter and month — and divided once.
-- A query for the usage days $batch_from to $batch_to (src/recompute/index.ts inserts it a batch of days at a time,
-- after deleting the slice: about one group per row, each with a list of its sources, src/db/batches.ts).
with
share_usage as (
  select * from expected_share_usage
  where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id)
    and usage_date between cast($batch_from as date) and cast($batch_to as date)
),
summed as (
  -- rule, denominator and unit are functions of (meter, month): grouping by them cannot split a row, and a
  -- disagreement would surface as a repeated key, which the recompute refuses (audit_expected_key.sql), not as a
  -- silent mix
  select
    billing_resource_id,
    meter,
    usage_date,
    billing_month,
    rule,
    quantity_denominator,
    numerator_unit,
    days_in_month,
    sum(quantity_numerator) as quantity_numerator,
    count(*) as source_count,
    list_sort(list(source_resource_id)) as source_resource_ids,
    sum(unknown_seconds) as unknown_seconds,
    bool_or(is_open_ended) as is_open_ended
  from share_usage
  group by all
),
final as (
  select
    billing_resource_id,
    meter,
    usage_date,
    billing_month,
    rule,
    exact_quotient_38_20(quantity_numerator, quantity_denominator) as quantity,
    quantity_numerator,
    quantity_denominator,
    numerator_unit,
    days_in_month,
    source_count::integer as source_count,
    source_resource_ids,
    unknown_seconds,
    unknown_seconds = 0 as is_complete,
    is_open_ended
  from summed
)
select * from final;
