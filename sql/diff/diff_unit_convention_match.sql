-- diff_unit_convention_match(…) (temp macro): the unit convention a billed figure follows instead of the meter's own
-- unit, or null — the first (by ordinal) of diff_unit_convention whose factor explains it: billed = expected × num ÷
-- den within the tolerance, num and den taken for the cell's month (× its days where the convention counts per day).
-- Searched only for a figure that is off (outside the tolerance), billed (≠ 0) and expected (> 0); a convention whose
-- factor is 1 for that month (num = den: a 31-day month under month_length_31 is never tried anyway) explains
-- nothing. Returns {unit_convention, num, den}; diff_cell_unit_convention.sql calls it for the quantity mismatches,
-- the finding's sentence is the convention's own (diff_finding_comparison.sql).
create or replace temp macro diff_unit_convention_match(unit_kind, meter_unit, month_days, billed_quantity,
                                                        expected_quantity, tolerance_quantity, tolerance_ratio) as (
  select arg_min({'unit_convention': f.unit_convention, 'num': f.num, 'den': f.den}, f.ordinal)
  from (
    select
      c.ordinal,
      c.unit_convention,
      (c.num * case when c.num_per_day then month_days else 1 end)::bigint as num,
      (c.den * case when c.den_per_day then month_days else 1 end)::bigint as den
    from diff_unit_convention as c
    where (c.for_unit_kind is null or c.for_unit_kind = unit_kind)
      and (not c.is_gib_only or starts_with(meter_unit, 'GiB'))
      and (c.assumed_days is null or c.assumed_days <> month_days)
      and not diff_is_within(coalesce(billed_quantity, 0), coalesce(expected_quantity, 0), tolerance_quantity,
                             tolerance_ratio)
      and billed_quantity <> 0
      and expected_quantity > 0
  ) as f
  where f.num <> f.den
    and diff_is_within_ratio(billed_quantity, expected_quantity, f.num, f.den, tolerance_quantity, tolerance_ratio)
);
