-- diff_finding_duplicate: duplicate_charge findings — lines billed again, identically, within one delivery
-- (grain: billing_resource_id × meter × usage_date, and the meter name when the meter is unmapped).
-- Quantity and cost are those of the repeats only (the first occurrence stands); the money at stake is the repeated
-- cost. Mapped repeats are also left out of the compared quantity in diff_cell, so they count once.
create or replace temp view diff_finding_duplicate as
with

repeats as (
  select d.*
  from diff_duplicate_line as d
  where d.is_repeat
),

grouped as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter_key as meter,
    case when meter_key is null then meter_name end as id_part,
    count(*) as repeat_line_count,
    sum(quantity_meter_unit::decimal(38, 18)) as repeated_quantity_meter_unit,
    sum(quantity::decimal(38, 18)) as repeated_quantity_export_unit,
    sum(cost_billing_currency::decimal(38, 18)) as repeated_cost,
    min(billing_currency) as currency,
    string_agg(distinct meter_name, ', ' order by meter_name) as meter_names,
    list(source_file || ':' || source_line order by source_file, source_line) as repeat_lines,
    list(distinct duplicate_group_id order by duplicate_group_id) as duplicate_group_ids,
    list(distinct delivery_id order by delivery_id) as delivery_ids
  from repeats
  group by billing_month, usage_date, billing_resource_id, meter_key, case when meter_key is null then meter_name end
),

final as (
  select
    g.billing_month,
    g.usage_date,
    g.billing_resource_id,
    g.meter,
    'duplicate_charge' as kind,
    g.id_part,
    coalesce(g.repeated_quantity_meter_unit, g.repeated_quantity_export_unit) as billed_quantity,
    null::decimal(38, 18) as expected_quantity,
    coalesce(g.repeated_quantity_meter_unit, g.repeated_quantity_export_unit) as delta_quantity,
    g.repeated_cost as billed_cost,
    abs(g.repeated_cost) as cost_impact,
    g.currency,
    diff_plural(g.repeat_line_count, 'line', 'lines') || ' on ' || g.usage_date || ' for '
      || diff_resource_name(g.billing_resource_id) || ' (' || coalesce(g.meter, 'meter ''' || g.meter_names || '''')
      || case when g.repeat_line_count = 1 then ') repeats' else ') repeat' end
      || ' an identical line of the same delivery: '
      || diff_num(coalesce(g.repeated_quantity_meter_unit, g.repeated_quantity_export_unit)) || ' '
      || coalesce(u.meter_unit, 'units') || ' billed twice for ' || diff_num(abs(g.repeated_cost)) || ' '
      || coalesce(g.currency, '') || ' (' || array_to_string(g.repeat_lines[1:3], ', ')
      || case when len(g.repeat_lines) > 3 then ', …' else '' end || ').' as explanation,
    'duplicate_billed_line' as rule,
    null::varchar as unit_convention,
    json_object(
      'repeat_lines', g.repeat_lines,
      'duplicate_group_ids', g.duplicate_group_ids,
      'delivery_ids', g.delivery_ids,
      'meter_names', g.meter_names,
      'repeated_quantity_export_unit', g.repeated_quantity_export_unit::varchar
    ) as evidence
  from grouped as g
  left join meter_key_unit as u on u.meter_key = g.meter
)

select * from final
