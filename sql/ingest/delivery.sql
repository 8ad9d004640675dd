-- delivery: one row for a delivery just ingested (grain: delivery_id). What the data says — covered days,
-- the latest charge period — is computed from its billing lines; the rest comes from the manifest or path.
-- A delivery's billing month, when neither its manifest nor its path says it, is the month it bills the most days
-- of (a '30 Sep + October' download is an October delivery); each line still counts in its own month.
insert into delivery by name
with line as (
  select * from billing_line where delivery_id = cast($delivery_id as varchar)
),

coverage as (
  select
    min(usage_date) as period_start,
    max(usage_date) as period_end,
    max(charge_period_start) as last_charge_at,
    count(distinct usage_date) as days_covered,
    -- the cost view as the values show it (EA/MCA files without a manifest carry the same columns in both views):
    -- an amortized file has unused-commitment rows and prices covered usage; an actual file has the commitment
    -- purchases and bills covered usage at 0
    bool_or(lower(trim(charge_type)) in ('unusedreservation', 'unusedsavingsplan')
            or (is_commitment_covered(pricing_model) and not is_non_usage_charge_type(charge_type) and cost <> 0))
      as shows_amortized,
    bool_or((lower(trim(charge_type)) = 'purchase' and (is_commitment_covered(pricing_model) or reservation_id is not null))
            or (is_commitment_covered(pricing_model) and not is_non_usage_charge_type(charge_type)
                and quantity > 0 and cost = 0))
      as shows_actual
  from line
),

main_month as (
  select billing_month from line group by billing_month
  order by count(distinct usage_date) desc, billing_month desc
  limit 1
),

view_choice as (
  select
    case
      when cost_view_of_dataset_type($dataset_type::varchar) is not null then cost_view_of_dataset_type($dataset_type::varchar)
      when $dialect::varchar = 'focus' then 'focus'
      when c.shows_amortized and not c.shows_actual then 'amortized'
      when c.shows_actual and not c.shows_amortized then 'actual'
    end as cost_view,
    case
      when cost_view_of_dataset_type($dataset_type::varchar) is not null then 'manifest exportConfig.type ' || $dataset_type::varchar
      when $dialect::varchar = 'focus' then 'FOCUS columns (BilledCost and EffectiveCost in one row)'
      when c.shows_amortized and not c.shows_actual then 'values: unused-commitment rows or priced reservation/savings-plan usage'
      when c.shows_actual and not c.shows_amortized then 'values: commitment purchases or reservation/savings-plan usage billed at 0'
      when c.shows_actual and c.shows_amortized then 'undetermined: the values show both actual and amortized rows'
      else 'undetermined: no manifest, and no commitment-discount line (both views read the same)'
    end as cost_view_source
  from coverage as c
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
    cast(now() as timestamp) as ingested_at,
    v.cost_view,
    v.cost_view_source
  from coverage as c
  cross join view_choice as v
)

select * from final
