-- diff_unit_convention (temp table) — grain: unit_convention. The unit conventions a billed figure may follow
-- instead of the meter's own unit, as data: detection (diff_unit_convention_match.sql: billed = expected × num ÷
-- den) and wording (diff_finding_comparison.sql: the sentence) read this one table.
--   ordinal          the order they are tried in: the first that explains the figure is reported
--   for_unit_kind    the meter unit kind it applies to (meter_key_unit.unit_kind); null: any
--   is_gib_only      only for meters counted in GiB
--   num, den         the factor's fixed parts; × the month's days where num_per_day / den_per_day
--   assumed_days     a month-length convention: the days it assumes (never tried when the month has them)
--   sentence         "if …" for the explanation: {days} the month's days, {hours} its hours, {month} its name
-- A 720-hour month is the 30-day month (24·D/720 = D/30), so it is reported as month_length_30.
create or replace temp table diff_unit_convention as
select * from (values
  (1, 'hourly_units', 'monthly_units', false, 24, true, 1, false, null,
   'if it were counted in hourly units (× 24 × {days} days) instead of monthly units'),
  (2, 'month_length_28', 'monthly_units', false, 1, true, 28, false, 28, 'if {month} had 28 days (it has {days})'),
  (3, 'month_length_29', 'monthly_units', false, 1, true, 29, false, 29, 'if {month} had 29 days (it has {days})'),
  (4, 'month_length_30', 'monthly_units', false, 1, true, 30, false, 30,
   'if {month} had 30 days (720 hours) (it has {days})'),
  (5, 'month_length_31', 'monthly_units', false, 1, true, 31, false, 31, 'if {month} had 31 days (it has {days})'),
  (6, 'hours_730', 'monthly_units', false, 24, true, 730, false, null, 'if the month had 730 hours (it has {hours})'),
  (8, 'monthly_units', 'hourly_units', false, 1, false, 24, true, null,
   'if it were counted in monthly units (÷ (24 × {days} days)) instead of hourly units'),
  -- 2^30 ÷ 10^9 = 2^21 ÷ 5^9
  (9, 'decimal_gb', null, true, 2097152, false, 1953125, false, null,
   'if it were counted in decimal GB (× 1.073741824) instead of GiB'),
  (10, 'inverse_decimal_gb', null, true, 1953125, false, 2097152, false, null,
   'if GiB had been divided by 1.073741824 as if they were GB'),
  (11, 'count_not_10k', 'count_10k', false, 10000, false, 1, false, null,
   'if single transactions were counted instead of 10,000-transaction buckets (× 10,000)')
) as t (ordinal, unit_convention, for_unit_kind, is_gib_only, num, num_per_day, den, den_per_day, assumed_days,
        sentence);

-- The sentence of a convention for a cell's month.
create or replace temp macro diff_unit_convention_sentence(sentence, usage_date, month_days) as
  replace(replace(replace(sentence, '{days}', month_days::varchar), '{hours}', (24 * month_days)::varchar),
          '{month}', diff_month_name(usage_date));
