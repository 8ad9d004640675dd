-- letter_case (query) — grain: case_id. The cases (finding_case) of the resources in scope for the month, with the
-- meter as Azure billed it — MeterName, MeterSubCategory, MeterId of the current billing lines of the case's
-- resource and meter in the month (so a missing charge is named by the lines of its other days) — and the export
-- files the lines of the case's days came from. A meter never billed that month is named by recon's key only. Ordered by direction (overbilled first), money
-- (largest first), then case_id.
with
found as (
  select * from finding_case
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
line as (
  select l.*, d.export_scope
  from billed_line_meter as l
  join delivery as d using (delivery_id)
  where in_scope_month(l.billing_month) and in_scope_resource(l.billing_resource_id)
),
case_line as (
  select
    c.case_id,
    list(distinct l.meter_name order by l.meter_name) filter (where l.meter_name is not null) as meter_names,
    list(distinct l.meter_subcategory order by l.meter_subcategory) filter (where l.meter_subcategory is not null)
      as meter_subcategories,
    list(distinct l.meter_id order by l.meter_id) filter (where l.meter_id is not null) as meter_ids,
    list(distinct l.source_file order by l.source_file)
      filter (where l.usage_date between c.first_day and c.last_day or c.first_day is null) as source_files,
    list(distinct l.export_scope order by l.export_scope) as export_scopes
  from found as c
  join line as l
    on l.billing_resource_id = c.billing_resource_id
    and (
      l.meter_key = c.meter
      or (c.meter is null and c.billed_meter_name is not null and l.meter_name = c.billed_meter_name)
      or (c.meter is null and c.billed_meter_name is null and list_contains(c.meters, l.meter_key))
    )
  group by c.case_id
),
final as (
  select
    c.case_id,
    c.billing_resource_id,
    c.meter,
    c.meters,
    c.billed_meter_name,
    c.kind,
    c.severity,
    c.money_direction,
    c.first_day::varchar as first_day,
    c.last_day::varchar as last_day,
    c.day_count::integer as day_count,
    c.finding_count::integer as finding_count,
    c.cost_impact,
    c.currency,
    c.provisional,
    c.explanation,
    coalesce(cl.meter_names, []) as meter_names,
    coalesce(cl.meter_subcategories, []) as meter_subcategories,
    coalesce(cl.meter_ids, []) as meter_ids,
    coalesce(cl.source_files, []) as source_files,
    coalesce(cl.export_scopes, []) as export_scopes
  from found as c
  left join case_line as cl using (case_id)
)
select * from final
order by
  list_position(['overbilled', 'underbilled', 'unverifiable', 'none'], money_direction),
  cost_impact desc nulls last,
  case_id;
