-- diff_month_total: each resource × meter key's month, billed total against expected total, and the month-level
-- verdict (grain: billing_month × billing_resource_id × meter).
-- Day by day, a charge billed on another day than the usage (a whole month billed on one day, a restated day moved)
-- looks like missing days plus an over-billed day, although the month is billed right. So the month is judged as a
-- whole when its days differ in both directions (some billed more, some less), or when it is billed in month-long
-- rows (a monthly-granularity export: a row whose charge period is longer than a day); its daily money findings
-- then give way to one month-level verdict (usage_date null):
--   misdated_charge    daily differences, month total within the tolerance rule: no money at stake
--   match              month-long rows, month total within the tolerance rule: nothing to report
--   quantity_mismatch  month total outside the tolerance: the month's difference, with its money
--   (missing_charge / unexpected_charge when the month bills nothing / expects nothing)
--   unverifiable       month-long rows, totals apart, and some day of the month not vouched for by the inventory
-- verdict null: the days stand as they are. Differences in one direction only are real day by day and their sum is
-- the month's difference, so they stay daily. A month with a day that is unverifiable, on the wrong meter or in
-- another unit convention stays daily too (its total would mix known and unknown figures), and so does a run
-- limited to some days (--from/--to): a month total needs the whole month.
create or replace temp table diff_month_total as
with

parameter as (
  select * from diff_parameter
),

cells as (
  select
    *,
    outcome in ('missing_charge', 'unexpected_charge', 'quantity_mismatch') and not has_wrong_meter as is_money_day
  from diff_cell
),

-- month-long billed rows (charge period over one day): a monthly-granularity export, or a FOCUS row spanning days
month_grain as (
  select distinct billing_month, billing_resource_id, meter_key as meter
  from billed_usage
  where last_charge_period_end > usage_date + interval 1 day
    and billing_month in (select billing_month from diff_month)
),

pair as (
  select
    billing_month,
    billing_resource_id,
    meter,
    sum(coalesce(compared_billed_quantity, 0)) as billed_quantity,
    sum(coalesce(expected_quantity, 0)) as expected_quantity,
    sum(billed_cost) as billed_cost,
    arg_max(effective_price, abs(coalesce(billed_cost, 0))) filter (where effective_price is not null)
      as effective_price,
    arg_max(currency, abs(coalesce(billed_cost, 0))) filter (where currency is not null) as currency,
    any_value(meter_unit) as meter_unit,
    any_value(rule) filter (where rule is not null) as rule,
    any_value(rule_formula) filter (where rule_formula is not null) as rule_formula,
    bool_or(is_money_day and compared_delta_quantity > 0) as has_excess_day,
    bool_or(is_money_day and compared_delta_quantity < 0) as has_shortfall_day,
    bool_and(outcome is null or is_money_day) and not bool_or(has_wrong_meter) as is_comparable,
    -- comparable but for days the inventory does not vouch for (not covered, a size unknown, a quarantined row)
    bool_and(outcome is null or is_money_day
             or unverifiable_reason in ('not_covered', 'expected_incomplete', 'charge_quarantined'))
      and not bool_or(has_wrong_meter) as is_comparable_but_unverified,
    count(*) filter (where outcome = 'unverifiable') as unverifiable_day_count,
    coalesce(list(usage_date order by usage_date) filter (where is_money_day and compared_delta_quantity > 0), [])
      as days_billed_more,
    coalesce(list(usage_date order by usage_date) filter (where is_money_day and compared_delta_quantity < 0), [])
      as days_billed_less,
    count(*) filter (where has_expected) as expected_day_count,
    list_sort(flatten(list(billed_evidence) filter (where billed_evidence is not null)))[1:20] as billed_evidence
  from cells
  group by billing_month, billing_resource_id, meter
),

judged as (
  select
    x.*,
    g.billing_resource_id is not null as is_month_grain,
    x.billed_quantity - x.expected_quantity as delta_quantity,
    diff_is_within(x.billed_quantity, x.expected_quantity, p.tolerance_quantity, p.tolerance_ratio) as is_within,
    (select from_day is null and to_day is null from run_scope) as is_whole_month
  from pair as x
  cross join parameter as p
  left join month_grain as g using (billing_month, billing_resource_id, meter)
),

final as (
  select
    *,
    case
      when not is_whole_month then null
      -- month-long rows on a month the inventory does not fully vouch for: the month total is unverifiable, said
      -- once for the month instead of an over-billed first day and unverifiable or missing days after it
      -- (within the tolerance it is a match, as a day is: sql/diff/diff_cell.sql tests the tolerance first)
      when is_month_grain and is_comparable_but_unverified and is_within then 'match'
      when is_month_grain and not is_comparable and is_comparable_but_unverified then 'unverifiable'
      when not is_comparable then null
      when not (is_month_grain or (has_excess_day and has_shortfall_day)) then null
      when is_within then case when is_month_grain then 'match' else 'misdated_charge' end
      when billed_quantity = 0 then 'missing_charge'
      when expected_quantity = 0 then 'unexpected_charge'
      else 'quantity_mismatch'
    end as verdict
  from judged
)

select * from final
