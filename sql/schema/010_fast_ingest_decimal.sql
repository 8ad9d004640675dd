-- ingest_decimal, faster: DuckDB 1.5.5 casts VARCHAR to DECIMAL(38, x) at ~10 µs a value (2M values ≈ 20 s, the
-- largest single cost of ingesting a big export), while a VARCHAR → HUGEINT cast is ~20× faster. A plain decimal of
-- at most 10 integer and 28 fractional digits — what exports write — is therefore read as the HUGEINT of its digits
-- with the fraction padded to 28 places, then scaled by 10^-28: an exact multiplication of the stored integers
-- (DECIMAL(38,0) × DECIMAL(28,28) → DECIMAL(38,28)), never a double. Anything else takes the cast as before.
-- test/ingest/decimal.test.ts compares both paths value by value.
create or replace macro ingest_decimal(v) as
  case
    when regexp_full_match(v, '[+-]?[0-9]{1,10}(\.[0-9]{0,28})?')
      then (
        (ltrim(split_part(v, '.', 1), '+-') || rpad(split_part(v, '.', 2), 28, '0'))::hugeint
        * case when starts_with(v, '-') then -1 else 1 end
      )::decimal(38, 0) * 0.0000000000000000000000000001::decimal(28, 28)
    else try_cast(nullif(trim(v), '') as decimal(38, 28))
  end;
