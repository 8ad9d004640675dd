-- diff_month: the billing months the diff compares, with the usage days their current deliveries bill and when
-- those deliveries were submitted (grain: billing_month).
-- A month is compared only when a current delivery bills it: expected usage alone (a month not exported yet, the
-- days after a month-to-date export's last day) is not yet billable, so it is neither missing nor matched.
create or replace temp table diff_month as
with

-- the current deliveries that count (counted_delivery: one per usage across cost views and overlapping exports)
deliveries as (
  select * from current_delivery
  where delivery_id in (select delivery_id from counted_delivery where is_counted)
),

month_span as (
  select
    d.billing_month,
    min(coalesce(d.period_start, strptime(d.billing_month || '-01', '%Y-%m-%d')::date)) as first_billed_date,
    max(coalesce(d.period_end, d.last_charge_at::date)) as last_billed_date,
    -- the settle window is measured from the earliest submission; unknown when any delivery has no time
    case when bool_or(d.submitted_at is null) then null else min(d.submitted_at) end as submitted_at,
    list(d.delivery_id order by d.delivery_id) as delivery_ids
  from deliveries as d
  group by d.billing_month
),

final as (
  select m.*
  from month_span as m
  where in_scope_month(m.billing_month) and in_scope_span(m.first_billed_date, m.last_billed_date)
)

select * from final
