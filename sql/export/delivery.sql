-- delivery export: every delivery of one billing month, superseded ones included, so a dashboard can follow
-- restatements between month-to-date deliveries; is_current marks the delivery that counts for its export scope
-- (the ingest stage's current_delivery view) (grain: delivery_id).
-- export_source is the delivery table (a temporary view set up by src/export/index.ts). $billing_month: YYYY-MM.
with
delivery_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

current_delivery_id as (
  select delivery_id
  from current_delivery
),

counted_delivery_id as (
  select delivery_id
  from counted_delivery
  where is_counted
),

final as (
  select
    delivery_id::varchar as delivery_id,
    export_scope::varchar as export_scope,
    export_name::varchar as export_name,
    dataset_type::varchar as dataset_type,
    data_version::varchar as data_version,
    dialect::varchar as dialect,
    cost_view::varchar as cost_view,
    cost_view_source::varchar as cost_view_source,
    billing_month::varchar as billing_month,
    run_id::varchar as run_id,
    submitted_at::timestamp as submitted_at,
    period_start::date as period_start,
    period_end::date as period_end,
    last_charge_at::timestamp as last_charge_at,
    days_covered::integer as days_covered,
    file_count::integer as file_count,
    byte_count::bigint as byte_count,
    rows_read::bigint as rows_read,
    rows_ingested::bigint as rows_ingested,
    rows_quarantined::bigint as rows_quarantined,
    expected_blob_count::integer as expected_blob_count,
    expected_row_count::bigint as expected_row_count,
    is_complete::boolean as is_complete,
    incomplete_reason::varchar as incomplete_reason,
    source_path::varchar as source_path,
    ingested_at::timestamp as ingested_at,
    delivery_id in (select delivery_id from current_delivery_id) as is_current,
    delivery_id in (select delivery_id from counted_delivery_id) as is_counted
  from delivery_in_month
)

select * from final
order by delivery_id
