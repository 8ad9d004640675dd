-- scope_resource (query) — grain: billing_resource_id. Each billed resource in scope that has billed lines or expected
-- rows in the month, with how many of each, and the subscriptions and billing accounts its lines name. An empty
-- result means the scope selects nothing (src/dispute refuses it). Lines are the counted ones (counted_billing_line):
-- an ActualCost and an AmortizedCost export of the same usage are one set of lines, not two.
with
line as (
  select * from counted_billing_line
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
expected as (
  select * from expected_usage
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
billed_resource as (
  select
    billing_resource_id,
    count(*) as billed_line_count,
    list(distinct subscription_id order by subscription_id) filter (where subscription_id is not null) as subscription_ids,
    list(distinct billing_account_id order by billing_account_id) filter (where billing_account_id is not null)
      as billing_account_ids
  from line
  group by billing_resource_id
),
expected_resource as (
  select billing_resource_id, count(*) as expected_row_count
  from expected
  group by billing_resource_id
),
final as (
  select
    billing_resource_id,
    coalesce(b.billed_line_count, 0) as billed_line_count,
    coalesce(e.expected_row_count, 0) as expected_row_count,
    coalesce(b.subscription_ids, []) as subscription_ids,
    coalesce(b.billing_account_ids, []) as billing_account_ids
  from billed_resource as b
  full outer join expected_resource as e using (billing_resource_id)
)
select * from final
order by billing_resource_id;
