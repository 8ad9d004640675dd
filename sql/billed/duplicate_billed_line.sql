-- duplicate_billed_line: Files and snapshot lines billed more than once within one delivery
-- (grain: delivery_id × source_file × source_line; only lines whose group has two or more members).
-- Identity of a charge: delivery × resource × meter (id and names) × charge period × quantity × cost × unit ×
-- currency × charge type/class × pricing model × reservation × frequency. Lines that differ in pricing model or
-- reservation are legitimately separate (e.g. part of a day covered by a reservation) and are not duplicates;
-- the same line in two deliveries is a restatement, which current_billing_line resolves, not a duplicate.
-- occurrence_rank 1 is the first line by file and line number; the others are the repeats (is_repeat) — except as
-- many as the delivery refunds: a refund line of the same resource, meter and charge period with the negated
-- quantity and cost (its quantity by the sign of its cost, billed_line_meter.net_quantity) corrects one repeat, and a corrected repeat is no longer a duplicate charge.
-- duplicate_billed_line_of(line_relation): the same over the named relation of billed_line_meter rows (a stage's
-- slice of months, materialised once); the view is it over every counted line. A charge's identity includes its
-- delivery (one billing month) and resource, so a slice of whole months and resources holds every group whole.
create or replace macro duplicate_billed_line_of(line_relation) as table
with

lines as (
  select * from query_table(line_relation)
  where classification in ('mapped', 'unmapped')
),

-- Each CTE here is read once: DuckDB stores a CTE read twice whole (here a month of lines, twice over: 4.7–5.8 s
-- against 1.0–1.2 s on the 2M bench month's 1.25M lines), and a macro drops NOT MATERIALIZED (DuckDB PR #19420).
-- So the refunds read the relation themselves.
refunds as (
  select
    delivery_id, billing_resource_id, meter_id, meter_name, charge_period_start, charge_period_end,
    -net_quantity as quantity, -cost as cost, count(*) as refund_count
  from query_table(line_relation)
  where classification in ('mapped', 'unmapped') and is_correction and net_quantity < 0
  group by all
),

-- A charge's identity, hashed: lines whose hash occurs once cannot be duplicates, so only the lines of a repeated
-- hash go through the exact window below (a hash collision only adds candidates; the window's partition is exact).
-- A count over a 64-bit hash over a month's lines instead of a 17-column window over all of them. The hash must list
-- no column the window's partition does not (one it lacks only adds candidates). Packing the identity into one
-- struct, read by both, measured 0.8 s slower a read (3.1–3.8 s → 4.2–4.5 s on the 2M bench warehouse).
hashed as (
  select
    *,
    hash(
      delivery_id, billing_resource_id, meter_id, meter_category, meter_subcategory, meter_name,
      charge_period_start, charge_period_end, quantity, cost, unit_of_measure, billing_currency, charge_type,
      charge_class, pricing_model, reservation_id, frequency
    ) as charge_hash
  from lines
),

candidates as (
  select * exclude (charge_hash)
  from hashed
  qualify count(*) over (partition by charge_hash) > 1
),

grouped as (
  select
    *,
    count(*) over charge as occurrence_count,
    row_number() over (charge order by source_file, source_line) as occurrence_rank,
    md5(concat_ws(
      '|', delivery_id, billing_resource_id, meter_id, meter_category, meter_subcategory, meter_name,
      charge_period_start, charge_period_end, quantity, cost, unit_of_measure, billing_currency, charge_type,
      charge_class, pricing_model, reservation_id, frequency
    )) as duplicate_group_id
  from candidates
  window charge as (
    partition by
      delivery_id, billing_resource_id, meter_id, meter_category, meter_subcategory, meter_name,
      charge_period_start, charge_period_end, quantity, cost, unit_of_measure, billing_currency, charge_type,
      charge_class, pricing_model, reservation_id, frequency
  )
),

final as (
  select
    g.duplicate_group_id,
    g.delivery_id,
    g.source_file,
    g.source_line,
    g.billing_month,
    g.usage_date,
    g.billing_resource_id,
    g.meter_id,
    g.meter_name,
    g.meter_key,
    g.classification,
    g.charge_period_start,
    g.charge_period_end,
    g.quantity,
    g.quantity_meter_unit,
    g.cost as cost_billing_currency,
    g.billing_currency,
    g.charge_type,
    g.charge_class,
    g.pricing_model,
    g.reservation_id,
    g.occurrence_count,
    g.occurrence_rank,
    coalesce(r.refund_count, 0) as refund_count,
    occurrence_rank > 1 + coalesce(r.refund_count, 0) as is_repeat
  from grouped as g
  left join refunds as r
    on r.delivery_id = g.delivery_id
    and r.billing_resource_id is not distinct from g.billing_resource_id
    and r.meter_id is not distinct from g.meter_id
    and r.meter_name is not distinct from g.meter_name
    and r.charge_period_start = g.charge_period_start
    and r.charge_period_end = g.charge_period_end
    and r.quantity = g.quantity
    and r.cost = g.cost
  where occurrence_count > 1
)

select * from final;

create or replace view duplicate_billed_line as
from duplicate_billed_line_of('billed_line_meter')
