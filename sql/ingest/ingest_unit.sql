-- ingest_unit: block size and distinct unit for each UnitOfMeasure string of the delivery being ingested
-- (grain: unit_of_measure). PricingUnits.csv is matched on the exact string first, then on the trimmed,
-- case-folded string (the file has near-duplicates such as '1 ' and case variants such as '1 Gb'); strings it
-- lacks stay NULL here and are filled by the fallback parser (src/billing/units.ts).
create or replace temp table ingest_unit as
with wanted as (
  select distinct unit_of_measure from ingest_delivery_row where unit_of_measure is not null
),

exact_match as (
  select w.unit_of_measure, p.pricing_block_size, p.distinct_unit
  from wanted as w
  join pricing_unit as p on p.unit_of_measure = w.unit_of_measure
),

folded_match as (
  select
    w.unit_of_measure,
    arg_min(p.pricing_block_size, p.unit_of_measure) as pricing_block_size,
    arg_min(p.distinct_unit, p.unit_of_measure) as distinct_unit
  from wanted as w
  join pricing_unit as p on lower(trim(p.unit_of_measure)) = lower(trim(w.unit_of_measure))
  group by w.unit_of_measure
),

final as (
  select
    w.unit_of_measure,
    coalesce(e.pricing_block_size, f.pricing_block_size) as pricing_block_size,
    coalesce(e.distinct_unit, f.distinct_unit) as distinct_unit
  from wanted as w
  left join exact_match as e using (unit_of_measure)
  left join folded_match as f using (unit_of_measure)
)

select * from final
