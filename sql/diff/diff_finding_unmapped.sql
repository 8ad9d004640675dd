-- diff_finding_unmapped: unmapped_meter findings — Files or snapshot lines the meter catalog does not know
-- (grain: billing_resource_id × usage_date × meter name). Never dropped, never compared: the quantity is in the
-- export's own unit and the money at stake is unknown (the billed cost is kept).
create or replace temp view diff_finding_unmapped as
with

lines as (
  select l.*
  from diff_line as l
  where l.classification = 'unmapped'
),

grouped as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter_name,
    count(*) as line_count,
    sum(quantity::decimal(38, 18)) as quantity_export_unit,
    sum(cost::decimal(38, 18)) as cost_billing_currency,
    min(billing_currency) as currency,
    string_agg(distinct meter_subcategory, ', ' order by meter_subcategory) as meter_subcategories,
    string_agg(distinct unit_of_measure, ', ' order by unit_of_measure) as units_of_measure,
    list(distinct meter_id order by meter_id) filter (where meter_id is not null) as meter_ids,
    list(source_file || ':' || source_line order by source_file, source_line) as lines,
    list(distinct delivery_id order by delivery_id) as delivery_ids
  from lines
  group by billing_month, usage_date, billing_resource_id, meter_name
),

final as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    null::varchar as meter,
    'unmapped_meter' as kind,
    coalesce(meter_name, '') as id_part,
    quantity_export_unit as billed_quantity,
    null::decimal(38, 18) as expected_quantity,
    null::decimal(38, 18) as delta_quantity,
    cost_billing_currency as billed_cost,
    null::decimal(38, 18) as cost_impact,
    currency,
    'Meter ''' || coalesce(meter_name, '(no name)') || ''' (' || coalesce(meter_subcategories, 'no subcategory')
      || ') billed ' || diff_num(quantity_export_unit) || ' × ' || coalesce(units_of_measure, 'no unit') || ' for '
      || diff_num(cost_billing_currency) || ' ' || coalesce(currency, '') || ' on ' || usage_date || ' for '
      || diff_resource_name(billing_resource_id)
      || ': a Files or snapshot meter the meter catalog does not know, so it is not compared.' as explanation,
    'meter_catalog' as rule,
    null::varchar as unit_convention,
    json_object(
      'meter_name', meter_name,
      'meter_subcategory', meter_subcategories,
      'meter_ids', meter_ids,
      'unit_of_measure', units_of_measure,
      'billed_lines', lines,
      'delivery_ids', delivery_ids
    ) as evidence
  from grouped
)

select * from final
