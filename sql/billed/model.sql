-- The billed stage's rules as macros: is a line a Files or snapshot meter, what its text states (redundancy, media,
-- access tier), exact unit arithmetic, and the stage's scope. Created when the warehouse is opened
-- (src/db/model.ts). The views over billing lines (billed_line_meter, duplicate_billed_line, price_check) have a
-- file each in sql/billed/ and are part of the model too.

-- Is a billing line a Files or disk-snapshot meter at all? Decided from the line's own data: meter category
-- Storage and the words Files or Snapshot(s) in its subcategory, name or product. Such a line that the catalog does
-- not map is 'unmapped' (a finding later), never dropped; any other line is 'ignored' (VMs, blobs, …).
create or replace macro is_files_or_snapshot_meter(meter_category, meter_subcategory, meter_name, product_name) as
  coalesce(lower(trim(meter_category)) = 'storage', false)
  and regexp_matches(concat_ws(' ', meter_subcategory, meter_name, product_name), '\bfiles\b|\bsnapshots?\b', 'i');

-- Read a redundancy token (lrs … ragzrs) from the meter name, else the subcategory, else the product name.
create or replace macro redundancy_token(meter_name, meter_subcategory, product_name) as
  replace(coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), ''),
    nullif(regexp_extract(lower(meter_subcategory), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(ra-?gzrs|ra-?grs|gzrs|grs|zrs|lrs)\b', 1), '')
  ), '-', '');

-- Read a media token (ssd | hdd) the same way.
create or replace macro media_token(meter_name, meter_subcategory, product_name) as
  coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(ssd|hdd)\b', 1), ''),
    nullif(regexp_extract(lower(meter_subcategory), '\b(ssd|hdd)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(ssd|hdd)\b', 1), '')
  );

-- Read an access tier (hot | cool) from the meter name, else the product text. 'transaction_optimized' is never
-- read: no billed text spells it; catalog rows state it for the name forms that exist only for that tier.
create or replace macro access_tier_token(meter_name, product_name) as
  coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(hot|cool)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(hot|cool)\b', 1), '')
  );

-- x × factor as DECIMAL(38,28) without the scale overflow of DECIMAL(38,28) × DECIMAL(38,28).
-- Exact when factor is integral (block sizes, 1); for a fractional factor (e.g. 0.0001 for single transactions
-- into 10K buckets) x keeps 20 fractional digits and factor 8, which is exact for every factor of that form.
create or replace macro times_factor(x, factor) as
  case
    when factor = 1 then x::decimal(38, 28)
    when factor = trunc(factor) then x::decimal(38, 28) * factor::decimal(38, 0)
    else x::decimal(38, 20) * factor::decimal(38, 8)
  end;

-- 1 ÷ x for a power of ten x (1, 10, 100 …), exactly; null for anything else.
create or replace macro reciprocal_of_power_of_ten(x) as
  case
    when x >= 1 and x = trunc(x) and regexp_full_match(trunc(x)::hugeint::varchar, '10*')
      then ('1e-' || (length(trunc(x)::hugeint::varchar) - 1))::decimal(38, 28)
  end;
