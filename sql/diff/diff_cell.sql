-- diff_cell: billed against expected usage, classified (grain: billing_resource_id × meter × usage_date).
-- The diff's one full outer join. Billed usage summed over its attribute variants (model, media, redundancy,
-- tier) and currency is diff_billed_cell.sql; expected usage is recompute's expected_usage. Everything is DECIMAL;
-- nothing is compared in JS.
-- Scope: diff_parameter (month, days, resource prefixes) and the days the month's current deliveries bill
-- (diff_month) — expected usage after a month-to-date export's last day is not billable yet.
-- outcome: the comparison finding of the cell (null: none) —
--   unverifiable   the billed unit could not be normalised; or the meter is not recomputed (data retrieval,
--                  geo-replication); or, on a day the inventory does not fully cover or whose expected row is
--                  incomplete, the two sides disagree. Never unexpected_charge there. Or less is billed than
--                  expected on a day a quarantined charge row names (charge_quarantined).
--   wrong_meter    billed on a meter key of another model than the inventory's, with nothing expected on it
--   missing_charge / unexpected_charge / quantity_mismatch on covered days; a quantity mismatch that a unit
--                  convention explains becomes unit_mismatch after the table is built (diff_cell_unit_convention.sql)
-- Besides the outcome, a billed variant may be on the wrong meter (has_wrong_meter, from diff_wrong_meter.sql: an
-- attribute its line states is not what the inventory says).
-- Lines repeated within a delivery (diff_duplicate_line) are taken out of the compared quantity: they are
-- reported once, as duplicate_charge, not again as a mismatch.
-- Two statements: in one, the full outer join's pipeline held its hash table and the six left joins' at once, and
-- ran out of memory at 1GB on the bench's --full night; diff_cell_joined (the joined cells) is dropped at the end.
create or replace temp table diff_cell_joined as
with

parameter as (
  select * from diff_parameter
),

months as (
  select * from diff_month
),

expected as (
  select e.*
  from expected_usage as e
  cross join parameter as p
  join months as m using (billing_month)
  where in_scope_row(e.billing_month, e.usage_date, e.billing_resource_id)
    and e.usage_date between m.first_billed_date and m.last_billed_date
),

billed_cell as (
  select * from diff_billed_cell
),

-- THE join: billed and expected cells, keys audited non-null and unique beforehand.
joined as (
  select
    coalesce(b.billing_month, e.billing_month) as billing_month,
    coalesce(b.billing_resource_id, e.billing_resource_id) as billing_resource_id,
    coalesce(b.meter, e.meter) as meter,
    coalesce(b.usage_date, e.usage_date) as usage_date,
    b.billing_resource_id is not null as has_billed,
    e.billing_resource_id is not null as has_expected,
    b.billed_quantity,
    b.billed_cost,
    b.billed_price,
    b.price_basis,
    b.billed_currency,
    b.line_count,
    b.correction_line_count,
    coalesce(w.has_wrong_meter, false) as has_wrong_meter,
    coalesce(w.is_wrong_model_only, false) as is_wrong_model_only,
    w.wrong_meter_quantity,
    w.wrong_meter_cost,
    w.wrong_meter_text,
    w.wrong_variants,
    b.variant_texts,
    b.billed_evidence,
    e.quantity::decimal(38, 18) as expected_quantity,
    e.rule,
    e.quantity_numerator,
    e.quantity_denominator,
    e.days_in_month,
    e.source_count,
    e.source_resource_ids,
    e.unknown_seconds,
    e.is_complete as is_expected_complete
  from billed_cell as b
  full outer join expected as e
    on e.billing_resource_id = b.billing_resource_id
    and e.meter = b.meter
    and e.usage_date = b.usage_date
  -- the wrong-meter inference of the billed cell (a cell's variants all share its scope)
  left join diff_wrong_meter as w
    on w.billing_month = b.billing_month
    and w.billing_resource_id = b.billing_resource_id
    and w.meter = b.meter
    and w.usage_date = b.usage_date
)

select * from joined;

create or replace temp table diff_cell as
with

parameter as (
  select * from diff_parameter
),

months as (
  select * from diff_month
),

-- Charge rows the ingest quarantined in a current delivery, per resource and day they still name
-- (sql/ingest/quarantine.sql): on those days what Azure billed is not known, so a shortfall is unverifiable, never
-- a missing charge "with nothing billed". The meter of a quarantined row is not known (its row did not convert),
-- so every meter of that resource and day is affected.
quarantined_charge as (
  select
    q.billing_resource_id,
    q.usage_date,
    count(*) as quarantined_line_count,
    list(q.source_file || ':' || q.source_line || ': ' || q.reason order by q.source_file, q.source_line)[1:3]
      as quarantined_lines
  from quarantine as q
  join months as m on list_contains(m.delivery_ids, q.delivery_id)
  where q.stage = 'ingest' and q.is_files_or_snapshot and q.billing_resource_id is not null
    and q.usage_date is not null
  group by all
),

repeated as (
  select
    billing_resource_id,
    meter_key as meter,
    usage_date,
    sum(quantity_meter_unit::decimal(38, 18)) as repeated_quantity,
    count(*) as repeated_line_count
  from diff_duplicate_line
  where is_repeat and classification = 'mapped'
  group by billing_resource_id, meter_key, usage_date
),

-- The resource × meter's billed price elsewhere in the month: what a missing charge would have cost.
month_price as (
  select
    billing_month,
    billing_resource_id,
    meter_key as meter,
    arg_max(effective_price_per_meter_unit, abs(cost_billing_currency))
      filter (where effective_price_per_meter_unit is not null) as month_price,
    arg_max(billing_currency, abs(cost_billing_currency)) as month_currency
  from billed_usage
  where billing_month in (select billing_month from months)
  group by billing_month, billing_resource_id, meter_key
),

joined as (
  select * from diff_cell_joined
),

enriched as (
  select
    j.*,
    coalesce(r.repeated_quantity, 0::decimal(38, 18)) as repeated_quantity,
    coalesce(r.repeated_line_count, 0) as repeated_line_count,
    j.billed_quantity - coalesce(r.repeated_quantity, 0) as compared_billed_quantity,
    coalesce(j.billed_price, mp.month_price) as effective_price,
    j.billed_price is null and mp.month_price is not null as is_price_from_month,
    coalesce(j.billed_currency, mp.month_currency) as currency,
    -- month length from the calendar when no expected row says it
    coalesce(j.days_in_month, day(last_day(j.usage_date))) as month_days,
    coalesce(c.is_fully_covered, false) as is_fully_covered,
    coalesce(c.covered_seconds, 0) as covered_seconds,
    coalesce(c.is_fully_covered, false) and coalesce(j.is_expected_complete, true) as is_covered,
    not list_contains(p.unrecomputed_meters, j.meter) as is_recomputed,
    coalesce(u.unit_kind, 'unknown') as unit_kind,
    coalesce(u.meter_unit, 'units') as meter_unit,
    dr.formula as rule_formula,
    coalesce(qc.quarantined_line_count, 0) as quarantined_line_count,
    qc.quarantined_lines,
    p.tolerance_quantity,
    p.tolerance_ratio
  from joined as j
  cross join parameter as p
  left join repeated as r using (billing_resource_id, meter, usage_date)
  left join month_price as mp using (billing_month, billing_resource_id, meter)
  left join inventory_coverage as c using (billing_resource_id, usage_date)
  left join meter_key_unit as u on u.meter_key = j.meter
  left join diff_rule as dr on dr.meter = j.meter
  left join quarantined_charge as qc using (billing_resource_id, usage_date)
),

compared as (
  select
    *,
    diff_is_within(coalesce(compared_billed_quantity, 0), coalesce(expected_quantity, 0), tolerance_quantity,
                   tolerance_ratio) as is_within_tolerance
  from enriched
),

classified as (
  select
    x.*,
    -- set for the unit mismatches, after this table is built (diff_cell_unit_convention.sql)
    null::varchar as unit_convention,
    null::bigint as convention_num,
    null::bigint as convention_den,
    case
      when x.has_billed and x.billed_quantity is null then 'unverifiable'
      when x.is_within_tolerance then null
      when not x.is_recomputed then 'unverifiable'
      when not x.has_expected and x.has_wrong_meter and x.is_wrong_model_only then 'wrong_meter'
      when not x.is_covered then 'unverifiable'
      when x.quarantined_line_count > 0 and coalesce(x.compared_billed_quantity, 0) < coalesce(x.expected_quantity, 0)
        then 'unverifiable'
      when coalesce(x.compared_billed_quantity, 0) = 0 then 'missing_charge'
      when coalesce(x.expected_quantity, 0) = 0 then 'unexpected_charge'
      -- or unit_mismatch, when a unit convention explains it (diff_cell_unit_convention.sql)
      else 'quantity_mismatch'
    end as outcome,
    case
      when x.has_billed and x.billed_quantity is null then 'unit_unknown'
      when x.is_within_tolerance then null
      when not x.is_recomputed then 'not_recomputed'
      when not x.has_expected and x.has_wrong_meter and x.is_wrong_model_only then null
      when not x.is_fully_covered then 'not_covered'
      when not x.is_covered then 'expected_incomplete'
      when x.quarantined_line_count > 0 and coalesce(x.compared_billed_quantity, 0) < coalesce(x.expected_quantity, 0)
        then 'charge_quarantined'
    end as unverifiable_reason
  from compared as x
),

final as (
  select
    *,
    coalesce(compared_billed_quantity, 0) - coalesce(expected_quantity, 0) as compared_delta_quantity,
    case
      when outcome = 'unverifiable' then 'unverifiable'
      when outcome is not null or has_wrong_meter or repeated_line_count > 0 then 'finding'
      else 'match'
    end as status
  from classified
)

select * from final;

drop table diff_cell_joined;
