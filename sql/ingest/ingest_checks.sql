-- Checks the ingest stage makes on export text on top of the conversions in sql/ingest/model_macros.sql: what a
-- DuckDB cast accepts but no export writes, what it would round, and E-notation it cannot take. Temp macros,
-- made per delivery. Each macro's common case (a plain decimal, a well-formed date) costs one regexp.

-- A number as exports write it (spec/export-formats.md §0): plain decimal or E-notation, '.' separator, no
-- thousands separators. DuckDB's cast also takes '1_234.5', which is not an export number.
create or replace temp macro ingest_is_number_text(v) as
  regexp_full_match(trim(v), '[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?');

-- E-notation written out as a plain decimal ('1.5E-7' → '0.00000015'): DuckDB's cast reads the mantissa into the
-- target type first, so '10000000000e-1' (= 1000000000) would overflow. Exponents beyond ±100 are left to the cast
-- (such a value is out of range or has more than 28 fractional digits anyway).
create or replace temp macro ingest_shift_point(sign, digits, point) as
  sign || case
    when point <= 0 then '0.' || repeat('0', -point) || digits
    when point >= length(digits) then digits || repeat('0', point - length(digits))
    else digits[1:point] || '.' || digits[point + 1:]
  end;

create or replace temp macro ingest_plain_number(t) as
  case
    when abs(coalesce(try_cast(regexp_extract(t, '[eE]([+-]?[0-9]+)$', 1) as bigint), 1000)) > 100 then t
    else ingest_shift_point(
      regexp_extract(t, '^([+-]?)', 1),
      regexp_extract(t, '^[+-]?([0-9]*)', 1) || regexp_extract(t, '^[+-]?[0-9]*\.?([0-9]*)', 1),
      length(regexp_extract(t, '^[+-]?([0-9]*)', 1)) + try_cast(regexp_extract(t, '[eE]([+-]?[0-9]+)$', 1) as bigint)
    )
  end;

-- A number text as DECIMAL(38, 28), E-notation included; NULL when empty or not a number DuckDB can read.
create or replace temp macro ingest_exact_decimal(v) as
  case
    -- contains() first: a plain number (nearly every value) then costs no regexp here.
    when (contains(v, 'e') or contains(v, 'E')) and ingest_is_number_text(v)
      then ingest_decimal(ingest_plain_number(trim(v)))
    else ingest_decimal(v)
  end;

-- Fractional digits needed to write a number text exactly (E-notation included; trailing zeros do not count).
-- '1.5e-28' needs 29, '1500e-3' needs 1. NULL when the exponent does not fit a bigint.
create or replace temp macro ingest_number_scale(v) as
  length(regexp_extract(trim(v), '^[+-]?[0-9]*\.?([0-9]*)', 1))
  - coalesce(try_cast(nullif(regexp_extract(trim(v), '[eE]([+-]?[0-9]+)$', 1), '') as bigint), 0)
  - (length(regexp_replace(trim(v), '^[+-]?([0-9]*)\.?([0-9]*).*$', '\1\2'))
     - length(rtrim(regexp_replace(trim(v), '^[+-]?([0-9]*)\.?([0-9]*).*$', '\1\2'), '0')));

-- Why a non-empty field cannot become a DECIMAL(38, 28) exactly; NULL when it can. Never goes through a double.
-- The first branch is the common case: a plain decimal of at most 10 integer and 28 fractional digits.
create or replace temp macro ingest_decimal_problem(v) as
  case
    when regexp_full_match(trim(v), '[+-]?([0-9]{1,10}(\.[0-9]{0,28})?|\.[0-9]{1,28})') then null
    when not ingest_is_number_text(v) then 'not a decimal'
    when ingest_exact_decimal(v) is null then 'out of range (DECIMAL(38,28) holds at most 10 integer digits)'
    -- Zero needs no digits, however it is written ('0.0e-40').
    when regexp_matches(regexp_extract(trim(v), '^[+-]?([0-9]*\.?[0-9]*)', 1), '[1-9]') and ingest_number_scale(v) > 28
      then 'more than 28 fractional digits'
  end;

-- A date as exports write it: MM/DD/YYYY (EA, MCA) or ISO-8601 (FOCUS, Parquet), a four-digit year from 2000 on.
-- strptime alone reads '9/1/23' as the year 23.
create or replace temp macro ingest_is_date_text(v) as
  regexp_full_match(trim(v), '([0-9]{1,2}/[0-9]{1,2}/20[0-9]{2}( .*)?|20[0-9]{2}-[0-9]{2}-[0-9]{2}([T ].*)?)');

-- A JSON object, else NULL (Tags and AdditionalInfo are objects; anything else is not what Azure writes there).
create or replace temp macro ingest_json_object(v) as
  case when not json_valid(v) then null when json_type(v::json) = 'OBJECT' then v::json end;

-- The usage day is the day a person reads in the export (README "Dates and days"): Cost Management writes UTC
-- without an offset, so an offset after a time (a re-save by a tool that added its zone: '…T00:00:00+02:00') is
-- dropped, never applied, and the date and time stay as written. The date alone keeps its '-DD'.
create or replace temp macro ingest_charge_timestamp(v) as
  ingest_timestamp(regexp_replace(trim(v), '([0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)(Z|[+-][0-9]{2}(:?[0-9]{2})?)$', '\1'));
