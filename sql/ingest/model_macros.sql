-- The ingest stage's rules as macros: conversions of export text and the classifications the later stages share.
-- Created when the warehouse is opened (src/db/model.ts); fixing one is editing it here.

-- ingest_decimal, faster: DuckDB 1.5.5 casts VARCHAR to DECIMAL(38, x) at ~8 µs a value (2M values ≈ 16 s, the
-- largest single cost of ingesting a big export), while a cast to DECIMAL(18, x) (a BIGINT inside) is ~100× faster
-- and a VARCHAR → HUGEINT cast ~10× faster. So a plain decimal of at most 10 integer digits — what exports write —
-- is read as DECIMAL(18, 8), exact when it has at most 8 fractional digits (prices, costs, most quantities), then
-- widened; with up to 28 fractional digits, as the HUGEINT of its digits with the fraction padded to 28 places,
-- scaled by 10^-28: an exact multiplication of the stored integers (DECIMAL(38,0) × DECIMAL(28,28) →
-- DECIMAL(38,28)). Never a double. Anything else takes the cast as before. test/ingest/decimal.test.ts compares
-- every path with the cast value by value.
create or replace macro ingest_decimal(v) as
  case
    when regexp_full_match(v, '[+-]?[0-9]{1,10}(\.[0-9]{0,8})?') then v::decimal(18, 8)::decimal(38, 28)
    when regexp_full_match(v, '[+-]?[0-9]{1,10}(\.[0-9]{0,28})?')
      then (
        (ltrim(split_part(v, '.', 1), '+-') || rpad(split_part(v, '.', 2), 28, '0'))::hugeint
        * case when starts_with(v, '-') then -1 else 1 end
      )::decimal(38, 0) * 0.0000000000000000000000000001::decimal(28, 28)
    else try_cast(nullif(trim(v), '') as decimal(38, 28))
  end;

-- EA/MCA write MM/DD/YYYY; FOCUS writes ISO-8601 UTC with or without seconds ('2024-01-01T00:00Z' — a plain
-- cast rejects it); Parquet timestamps arrive as 'YYYY-MM-DD HH:MM:SS[+00]'. Offsets are converted to UTC
-- (the warehouse session runs in UTC).
create or replace macro ingest_timestamp(v) as coalesce(
  try_strptime(nullif(trim(v), ''), [
    '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%Y-%m-%d',
    '%Y-%m-%dT%H:%MZ', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ',
    '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
    '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f'
  ]),
  try_strptime(nullif(trim(v), ''), [
    '%Y-%m-%dT%H:%M%z', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z'
  ])::timestamp
);

-- EA/MCA Tags are a JSON object without its braces ('"env": "prod","cc": "1"'); FOCUS Tags have them.
create or replace macro ingest_tags_text(v) as
  case when nullif(trim(v), '') is null then null
       when starts_with(trim(v), '{') then trim(v)
       else '{' || trim(v) || '}' end;

create or replace macro ingest_json(v) as case when json_valid(v) then v::json end;

-- csv_cell: a cell as CSV writes it back (quoted when it must be): the raw_text of a quarantined row, for export
-- rows (src/ingest/typed-select.ts) and inventory rows (src/inventory/csv.ts) alike. contains() rather than a
-- regex: the inventory runs it on every cell of every row.
create or replace macro csv_cell(text) as
  case
    when text is null then ''
    when contains(text, '"') or contains(text, ',') or contains(text, chr(10)) or contains(text, chr(13))
      then '"' || replace(text, '"', '""') || '"'
    else text
  end;

-- is_correction: the one rule for "this line corrects an earlier charge" — FOCUS ChargeClass 'Correction', or the
-- EA/MCA ChargeType 'Refund' (finops-toolkit focus/mapping.md). Case and surrounding spaces are not part of the
-- value. Read by the ingest stage (EA/MCA charge_class; a negative usage quantity is allowed on a correction) and
-- by the billed stage (a correction nets by the sign of its cost).
create or replace macro is_correction(charge_class, charge_type) as
  coalesce(lower(trim(charge_class)) = 'correction' or lower(trim(charge_type)) = 'refund', false);

-- Charge types that are not usage of a meter: reservation purchases, unused commitments, tax. Refunds of usage are
-- usage (they net against what they correct). One definition for the two places that ask: the ingest (a Files or
-- snapshot line of these types may lack a resource) and the billed stage (these lines are ignored). They compared
-- differently (the ingest trimmed, the billed stage did not), so ' Purchase' without a resource passed the ingest
-- and then stopped the diff on a NULL key.
create or replace macro is_non_usage_charge_type(charge_type) as
  coalesce(lower(trim(charge_type)), '') in ('purchase', 'unusedreservation', 'unusedsavingsplan', 'tax');

-- An ARM resource id as one key: ARM ids are case-insensitive, and exports and inventories add surrounding
-- spaces or a trailing '/' (a copied URL path). Every id that groups or joins billed and inventory rows goes
-- through this one rule. NULL when empty.
create or replace macro normalised_resource_id(v) as nullif(rtrim(lower(trim(v)), '/'), '');

-- The cost view of an export type as Cost Management names it (manifest exportConfig.type, REST definition.type):
-- 'Usage' is the legacy name of the actual-cost dataset. Other types (PriceSheet, Reservation*) are not cost rows.
create or replace macro cost_view_of_dataset_type(dataset_type) as
  case lower(trim(dataset_type))
    when 'actualcost' then 'actual'
    when 'usage' then 'actual'
    when 'amortizedcost' then 'amortized'
    when 'focuscost' then 'focus'
  end;

-- True for a usage line a reservation or savings plan covers (EA/MCA PricingModel 'Reservation' / 'SavingsPlan';
-- FOCUS PricingCategory 'Committed').
create or replace macro is_commitment_covered(pricing_model) as
  coalesce(lower(replace(trim(pricing_model), ' ', '')) in ('reservation', 'savingsplan', 'committed'), false);

-- values_in_key_order(list({k: key, v: value})): the values, ordered by their keys (ties by value). It stands in for
-- an ordered aggregate, list(value order by key): DuckDB sorts an ordered aggregate group by group, which over a
-- million small groups (billed_usage, diff_wrong_meter; the interval evidence, interval_ids_in_order in
-- sql/recompute/model.sql) cost more than all the other aggregates together (issue 14); a plain list() sorted
-- afterwards gives the same order.
-- For distinct values: list_sort(list_distinct(list(value))).
create or replace macro values_in_key_order(pairs) as list_transform(list_sort(pairs), pair -> pair.v);
