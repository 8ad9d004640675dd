-- diff_macros: the diff stage's arithmetic and display helpers (temporary macros, created per connection).
-- Exactness: DuckDB's '/' on DECIMAL yields DOUBLE, so no macro here divides; a tolerance test against a ratio
-- (a unit convention) is cross-multiplied instead. Products keep their scale inside DECIMAL(38): quantities are cast
-- to 12 fractional digits and prices to 16 (scale 28), the same trade as sql/billed/price_check.sql.

-- |billed − expected| ≤ max(tolerance, ratio × |expected|): the one tolerance rule (ratio = tolerance_pct ÷ 100).
create or replace temp macro diff_is_within(billed_quantity, expected_quantity, tolerance_quantity, tolerance_ratio) as
  abs(billed_quantity::decimal(38, 18) - expected_quantity::decimal(38, 18))
    <= greatest(
      tolerance_quantity::decimal(38, 18),
      (tolerance_ratio::decimal(38, 8) * abs(expected_quantity)::decimal(38, 10))::decimal(38, 18)
    );

-- The same rule against expected × num ÷ den (a unit convention), multiplied through by den > 0:
-- |billed × den − expected × num| ≤ max(tolerance × den, ratio × |expected × num|).
create or replace temp macro diff_is_within_ratio(billed_quantity, expected_quantity, num, den, tolerance_quantity, tolerance_ratio) as
  abs(billed_quantity::decimal(38, 12) * den::bigint - expected_quantity::decimal(38, 12) * num::bigint)
    <= greatest(
      tolerance_quantity::decimal(38, 12) * den::bigint,
      (tolerance_ratio::decimal(38, 8) * abs(expected_quantity::decimal(38, 12) * num::bigint)::decimal(38, 10))::decimal(38, 18)
    );

-- A billed variant of a cell as the findings name it: 'payg HDD LRS hot' (the attributes its line states).
create or replace temp macro diff_variant_text(model, media, redundancy, access_tier) as
  concat_ws(' ', model, upper(media), upper(redundancy), replace(access_tier, '_', ' '));

-- Money at stake: |quantity| × price in billing currency, never negative; null when the price is unknown.
create or replace temp macro diff_money(quantity, price) as
  (abs(quantity)::decimal(38, 12) * price::decimal(38, 16))::decimal(38, 18);

-- '1234567' → '1,234,567' (digits only; the sign and fraction are handled by diff_num).
create or replace temp macro diff_group_thousands(digits) as
  ltrim(array_to_string(
    list_transform(
      range(0, (length(digits) + 2) // 3 * 3, 3),
      i -> substr(lpad(digits, ((length(digits) + 2) // 3 * 3)::integer, '#'), i + 1, 3)
    ),
    ','
  ), '#,');

-- A number for a sentence, rounded for display only: 2 decimals from 1 up, 4 from 0.01, 6 from 0.0001, else 10;
-- trailing zeros dropped, thousands grouped ('24,576', '33.03', '0.000137').
create or replace temp macro diff_rounded_text(x) as
  case
    when abs(x) >= 1 then round(x::decimal(38, 18), 2)::varchar
    when abs(x) >= 0.01 then round(x::decimal(38, 18), 4)::varchar
    when abs(x) >= 0.0001 then round(x::decimal(38, 18), 6)::varchar
    else round(x::decimal(38, 18), 10)::varchar
  end;
create or replace temp macro diff_num(x) as
  case
    when x is null then 'unknown'
    else (
      with parts as (
        select
          regexp_replace(regexp_replace(diff_rounded_text(x), '(\.\d*?)0+$', '\1'), '\.$', '') as text_value
      )
      select
        case when starts_with(text_value, '-') then '-' else '' end
        || diff_group_thousands(split_part(ltrim(text_value, '-'), '.', 1))
        || case when contains(text_value, '.') then '.' || split_part(text_value, '.', 2) else '' end
      from parts
    )
  end;

-- A signed difference for a sentence: '+24,576', '-1.1'.
create or replace temp macro diff_signed(x) as
  case when x > 0 then '+' || diff_num(x) else diff_num(x) end;

-- The last segment of an ARM id, as an analyst names the resource ('stv2ssdprod').
create or replace temp macro diff_resource_name(resource_id) as
  coalesce(nullif(regexp_extract(resource_id, '([^/]+)/?$', 1), ''), resource_id, '(no resource)');

-- The month's English name ('October') for "if October had 30 days".
create or replace temp macro diff_month_name(usage_date) as strftime(usage_date, '%B');

-- '1 share' / '3 shares'.
create or replace temp macro diff_plural(n, singular, plural) as n::varchar || ' ' || case when n = 1 then singular else plural end;

-- Days for a sentence: '2026-10-01', '2026-10-01, 2026-10-05', or '30 days (2026-10-02 … 2026-10-31)'.
create or replace temp macro diff_day_list(days) as
  case
    when len(days) <= 3 then array_to_string(list_transform(days, d -> d::varchar), ', ')
    else len(days) || ' days (' || days[1]::varchar || ' … ' || days[len(days)]::varchar || ')'
  end;
