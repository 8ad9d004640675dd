-- delivery: one row for a delivery just ingested (grain: delivery_id). What the data says — covered days,
-- the latest charge period — is computed from its billing lines; the rest comes from the manifest or path.
-- A delivery's billing month, when neither its manifest nor its path says it, is the month it bills the most days
-- of (a '30 Sep + October' download is an October delivery); each line still counts in its own month.
insert into delivery
with line as (
  select * from billing_line where delivery_id = cast($delivery_id as varchar)
),

coverage as (
  select
    min(usage_date) as period_start,
    max(usage_date) as period_end,
    max(charge_period_start) as last_charge_at,
    count(distinct usage_date) as days_covered
  from line
),

main_month as (
  select billing_month from line group by billing_month
  order by count(distinct usage_date) desc, billing_month desc
  limit 1
),

final as (
  select
    cast($delivery_id as varchar) as delivery_id,
    cast($export_scope as varchar) as export_scope,
    cast($export_name as varchar) as export_name,
    cast($dataset_type as varchar) as dataset_type,
    cast($data_version as varchar) as data_version,
    cast($dialect as varchar) as dialect,
    coalesce(cast($billing_month as varchar), (select billing_month from main_month), 'unknown') as billing_month,
    cast($run_id as varchar) as run_id,
    cast($submitted_at as timestamp) as submitted_at,
    c.period_start,
    c.period_end,
    c.last_charge_at,
    cast(c.days_covered as integer) as days_covered,
    cast($file_count as integer) as file_count,
    cast($byte_count as bigint) as byte_count,
    cast($rows_read as bigint) as rows_read,
    cast($rows_ingested as bigint) as rows_ingested,
    cast($rows_quarantined as bigint) as rows_quarantined,
    cast($expected_blob_count as integer) as expected_blob_count,
    cast($expected_row_count as bigint) as expected_row_count,
    cast($is_complete as boolean) as is_complete,
    cast($incomplete_reason as varchar) as incomplete_reason,
    cast($source_path as varchar) as source_path,
    cast(now() as timestamp) as ingested_at
  from coverage as c
)

select * from final
