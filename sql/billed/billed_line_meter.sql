-- billed_line_meter: every counted billing line (counted_billing_line: current deliveries, one per usage across
-- cost views and overlapping exports) with the catalog row that maps it, or none
-- (grain: delivery_id × source_file × source_line).
-- classification: 'mapped' (a reconciled catalog row matches a usage line), 'known' (a Files or snapshot meter
-- recon knows and does not reconcile: counted, never a finding; the reason is the catalog row's note), 'unmapped'
-- (a Files or snapshot meter the catalog does not know: an unmapped_meter finding later), 'ignored' (not a Files
-- or snapshot meter — including the catalog's 'not_ours' meters — or not a usage charge). meter_key and its
-- attributes are set whenever a reconciled catalog row matches; classification says whether the line counts.
-- An attribute the catalog row leaves to the line ('*') is read from the line's own text and stays null (unknown)
-- when the text does not state it. Quantities and prices are also given in the meter key's unit: quantity × pricing_block_size ÷ the
-- key's block. Catalog matching and unit parsing run once per distinct meter and unit, not per line: a month has
-- millions of lines but a few hundred meters.
-- billed_line_meter_of(months): the same for the billing months of a list ('YYYY-MM'; null: every month), restricted
-- before any work is done (counted_billing_line_of, read twice: for the signatures and for the lines). A stage's
-- slice reads it so that a two-day month does not match and classify the lines of every other month first: no
-- filter from outside reaches the lines under the signatures' distinct.
create or replace macro billed_line_meter_of(months) as table
with

catalog as (
  select * from meter_catalog
),

key_units as (
  select * from meter_key_unit
),

-- The amortized price of covered usage from deliveries set aside for quantities (another cost view of the same
-- usage): what a reservation- or savings-plan-covered actual-cost line, billed at 0, is worth.
set_aside_amortized_price as (
  select b.billing_resource_id, b.meter_id, b.usage_date, max(b.effective_price) as amortized_price
  from billing_line as b
  where b.delivery_id in (
      select delivery_id from counted_delivery where not is_counted and cost_view in ('amortized', 'focus')
    )
    and (months is null or list_contains(months, b.billing_month))
    and is_commitment_covered(b.pricing_model)
    and b.effective_price > 0
  group by all
),

-- A signature is a meter (id, names, product) with the unit it was billed in: everything the catalog match and
-- the unit conversion depend on. Per-line work below is two joins and one multiplication.
signatures as (
  select distinct meter_id, meter_category, meter_subcategory, meter_name, product_name, unit_of_measure, distinct_unit,
    pricing_block_size
  from counted_billing_line_of(months)
),

candidates as (
  select
    s.*,
    c.catalog_line,
    c.priority,
    c.meter_id is not null as is_meter_id_match
  from signatures as s
  join catalog as c
    on case
      when c.meter_id is not null then lower(s.meter_id) = c.meter_id
      else (c.category_pattern is null or regexp_matches(coalesce(s.meter_category, ''), c.category_pattern, 'i'))
        and (c.subcategory_pattern is null or regexp_matches(coalesce(s.meter_subcategory, ''), c.subcategory_pattern, 'i'))
        and (c.name_pattern is null or regexp_matches(coalesce(s.meter_name, ''), c.name_pattern, 'i'))
    end
),

ranked as (
  select
    *,
    count(*) over signature as candidate_count,
    row_number() over (signature order by is_meter_id_match desc, priority desc, catalog_line) as rank_in_signature
  from candidates
  window signature as (partition by meter_id, meter_category, meter_subcategory, meter_name, product_name, unit_of_measure, distinct_unit, pricing_block_size)
),

signature_match as (
  select
    s.*,
    r.catalog_line,
    coalesce(r.candidate_count, 0) as candidate_count,
    is_files_or_snapshot_meter(s.meter_category, s.meter_subcategory, s.meter_name, s.product_name)
      as is_files_or_snapshot_meter,
    c.meter_key,
    c.model,
    case c.media when '*' then media_token(s.meter_name, s.meter_subcategory, s.product_name) else c.media end
      as media,
    case c.redundancy
      when '*' then redundancy_token(s.meter_name, s.meter_subcategory, s.product_name)
      else c.redundancy
    end as redundancy,
    case c.access_tier
      when '*' then access_tier_token(s.meter_name, s.product_name)
      else c.access_tier
    end as access_tier,
    c.verdict,
    c.note as catalog_note,
    coalesce(c.is_free_companion, false) as is_free_companion,
    u.meter_unit,
    u.expected_time_basis,
    case
      when regexp_matches(coalesce(s.distinct_unit, s.unit_of_measure, ''), '/\s*hours?\b', 'i') then 'hour'
      when regexp_matches(coalesce(s.distinct_unit, s.unit_of_measure, ''), '/\s*months?\b', 'i') then 'month'
      when regexp_matches(coalesce(s.distinct_unit, s.unit_of_measure, ''), '/\s*days?\b', 'i') then 'day'
      else 'none'
    end as unit_time_basis,
    -- meter-key units in one export unit, and export units in one meter-key unit (block sizes are integers,
    -- PricingUnits.csv; the casts keep each product's scale within DECIMAL(38))
    s.pricing_block_size * u.key_block_reciprocal as meter_units_per_export_unit,
    u.key_block_size::decimal(18, 0) * reciprocal_of_power_of_ten(s.pricing_block_size) as export_units_per_meter_unit
  from signatures as s
  left join ranked as r
    on r.rank_in_signature = 1
    and r.meter_id is not distinct from s.meter_id
    and r.meter_category is not distinct from s.meter_category
    and r.meter_subcategory is not distinct from s.meter_subcategory
    and r.meter_name is not distinct from s.meter_name
    and r.product_name is not distinct from s.product_name
    and r.unit_of_measure is not distinct from s.unit_of_measure
    and r.distinct_unit is not distinct from s.distinct_unit
    and r.pricing_block_size is not distinct from s.pricing_block_size
  left join catalog as c
    on c.catalog_line = r.catalog_line
  left join key_units as u
    on u.meter_key = c.meter_key
),

classified as (
  select
    l.*,
    m.* exclude (meter_id, meter_category, meter_subcategory, meter_name, product_name, unit_of_measure,
                 distinct_unit, pricing_block_size),
    is_correction(l.charge_class, l.charge_type) as is_correction,
    case
      when is_non_usage_charge_type(l.charge_type) then 'ignored'
      when m.verdict = 'reconciled' then 'mapped'
      when m.verdict = 'not_reconciled' then 'known'
      when m.verdict = 'not_ours' then 'ignored'
      when m.is_files_or_snapshot_meter then 'unmapped'
      else 'ignored'
    end as classification,
    case
      when is_non_usage_charge_type(l.charge_type) then 'not a usage charge: ' || l.charge_type
      when m.verdict = 'reconciled' then null
      when m.verdict = 'not_reconciled' then 'known, not reconciled: ' || coalesce(m.catalog_note, 'no note')
      when m.verdict = 'not_ours' then 'not a Files or snapshot meter: ' || coalesce(m.catalog_note, 'no note')
      when m.is_files_or_snapshot_meter then 'Files or snapshot meter not in the meter catalog'
      else 'not a Files or snapshot meter'
    end as classification_reason
  from counted_billing_line_of(months) as l
  join signature_match as m
    on m.meter_id is not distinct from l.meter_id
    and m.meter_category is not distinct from l.meter_category
    and m.meter_subcategory is not distinct from l.meter_subcategory
    and m.meter_name is not distinct from l.meter_name
    and m.product_name is not distinct from l.product_name
    and m.unit_of_measure is not distinct from l.unit_of_measure
    and m.distinct_unit is not distinct from l.distinct_unit
    and m.pricing_block_size is not distinct from l.pricing_block_size
),

-- A correction nets by the sign of its cost: EA/MCA Refund lines often repeat the charge's positive Quantity and
-- carry only the cost negative. net_quantity is the quantity with that sign (other lines: as written).
netted as (
  select
    *,
    case
      when is_correction and cost < 0 then -abs(quantity)
      when is_correction and cost > 0 then abs(quantity)
      else quantity
    end as net_quantity
  from classified
),

-- The price money is valued at: the line's effective price, except on covered usage the actual cost bills at 0
-- (then the amortized price delivered in another view, else unknown); price_basis says which (NULL: on demand).
priced as (
  select
    c.*,
    case
      when not is_commitment_covered(c.pricing_model) then c.effective_price
      when c.effective_price <> 0 then c.effective_price
      else a.amortized_price
    end as money_price,
    case
      when not is_commitment_covered(c.pricing_model) then null
      when c.effective_price <> 0 then 'the amortized price of reservation/savings-plan coverage'
      when a.amortized_price is not null
        then 'the amortized price of reservation/savings-plan coverage (from the amortized delivery set aside; the actual cost bills it at 0)'
      else 'none: reservation/savings-plan coverage the actual cost bills at 0, and no amortized price was delivered'
    end as price_basis
  from netted as c
  left join set_aside_amortized_price as a
    on a.billing_resource_id = c.billing_resource_id
    and a.meter_id is not distinct from c.meter_id
    and a.usage_date = c.usage_date
),

final as (
  select
    * exclude (money_price),
    case when meter_key is not null then times_factor(net_quantity, meter_units_per_export_unit) end
      as quantity_meter_unit,
    case when meter_key is not null then times_factor(money_price, export_units_per_meter_unit) end
      as effective_price_per_meter_unit,
    unit_time_basis = expected_time_basis as is_unit_expected
  from priced
)

select * from final;

create or replace view billed_line_meter as
from billed_line_meter_of(null)
