-- comparison: every compared cell of the scope, matching or not (grain: billing_resource_id × meter × usage_date).
-- Replaces the scope's slice (months, days, resource prefixes of diff_parameter), never appends: a cell that no
-- longer exists on either side disappears with the delete.
delete from comparison
where in_scope_row(billing_month, usage_date, billing_resource_id);

insert into comparison by name
with

cells as (
  select * from diff_cell
),

final as (
  select
    billing_month::varchar as billing_month,
    billing_resource_id::varchar as billing_resource_id,
    meter::varchar as meter,
    usage_date::date as usage_date,
    billed_quantity::decimal(38, 18) as billed_quantity,
    expected_quantity::decimal(38, 18) as expected_quantity,
    (coalesce(billed_quantity, 0) - coalesce(expected_quantity, 0))::decimal(38, 18) as delta_quantity,
    billed_cost::decimal(38, 18) as billed_cost,
    effective_price::decimal(38, 18) as effective_price,
    currency::varchar as currency,
    is_covered::boolean as is_covered,
    status::varchar as status
  from cells
)

select * from final
order by billing_resource_id, meter, usage_date
