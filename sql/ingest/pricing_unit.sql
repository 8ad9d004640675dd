-- pricing_unit: Microsoft's UnitOfMeasure → pricing block size and distinct unit, from the vendored
-- data/finops-toolkit/PricingUnits.csv (grain: unit_of_measure). Run once, when the table is empty.
-- $path: the CSV file. Every column is read as text so no value is guessed at, then cast exactly.
insert into pricing_unit
with source as (
  select * from read_csv(
    $path,
    header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {
      'unit_of_measure': 'VARCHAR', 'account_types': 'VARCHAR', 'pricing_block_size': 'VARCHAR', 'distinct_unit': 'VARCHAR'
    }
  )
),

final as (
  select
    unit_of_measure,
    account_types,
    cast(pricing_block_size as decimal(38, 10)) as pricing_block_size,
    distinct_unit
  from source
)

select * from final
