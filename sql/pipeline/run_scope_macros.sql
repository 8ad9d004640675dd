-- The run's scope predicates (temp macros) over run_scope, run_scope_month and run_scope_prefix (run_scope.sql).
-- Prefixes are stored lower-cased and ids are lower-cased here, so every match is case-insensitive by construction.
-- A macro argument is spliced in as written, so it must never land inside a subquery over the scope tables (a
-- caller's column named like a scope column would bind to the scope table): the subqueries below are uncorrelated
-- scalars and the argument stays outside them.

-- No prefix: every resource. A null id (an unmapped line without one) is in scope only then.
create or replace temp macro in_scope_resource(resource_id) as (
  (select count(*) = 0 from run_scope_prefix)
  or len(list_filter(coalesce((select list(prefix) from run_scope_prefix), []), p -> starts_with(lower(resource_id), p))) > 0
);

-- The run's months, or for a stage slice without a month (every_month, run_scope.sql) every month its --from/--to
-- touches (all months for neither), as the runner picks the run's months (src/pipeline/run-plan.ts).
create or replace temp macro in_scope_month(month_text) as (
  coalesce(list_contains((select list(billing_month) from run_scope_month), month_text), false)
  or (
    coalesce((select every_month from run_scope), false)
    and coalesce(last_day(strptime(month_text || '-01', '%Y-%m-%d')::date) >= (select from_day from run_scope), true)
    and coalesce(strptime(month_text || '-01', '%Y-%m-%d')::date <= (select to_day from run_scope), true)
  )
);

-- The scope's months as a list for a relation restricted to them before any work (billed_line_meter_of); null for
-- a slice without a month (every month: in_scope_month then cuts by --from/--to, as it does after).
create or replace temp macro scope_month_list() as (
  case
    when coalesce((select every_month from run_scope), false) then null
    else coalesce((select list(billing_month) from run_scope_month), [])
  end
);

-- A null day is a month-level row (contract.md): in scope with its month.
create or replace temp macro in_scope_day(day) as (
  day is null
  or (coalesce(day::date >= (select from_day from run_scope), true)
      and coalesce(day::date <= (select to_day from run_scope), true))
);

-- A case (first_day … last_day, null for month-level) is in scope when any of its days is: a case is reported
-- whole, so a --from/--to that cuts a case shows all of it (docs/findings.md).
create or replace temp macro in_scope_span(first_day, last_day) as (
  first_day is null
  or (coalesce(last_day::date >= (select from_day from run_scope), true)
      and coalesce(first_day::date <= (select to_day from run_scope), true))
);

-- A row of a billing month, usage day and billed resource (billed and expected usage, comparison, findings).
create or replace temp macro in_scope_row(month_text, day, resource_id) as (
  in_scope_month(month_text) and in_scope_day(day) and in_scope_resource(resource_id)
);

-- The scope's usage days as a half-open span of UTC timestamps [scope_start_at(), scope_end_at()): the days of
-- --from/--to within its one month (a stage slice's); null for an open end.
create or replace temp macro scope_start_at() as (
  (select greatest(from_day, strptime(month || '-01', '%Y-%m-%d')::date)::timestamp from run_scope)
);

create or replace temp macro scope_end_at() as (
  (select (least(to_day, last_day(strptime(month || '-01', '%Y-%m-%d')::date)) + 1)::timestamp from run_scope)
);

-- A usage day of the scope: within --from/--to and in one of its months.
create or replace temp macro in_scope_usage_day(day) as (
  in_scope_day(day) and in_scope_month(strftime(day::date, '%Y-%m'))
);

-- A state valid over [valid_from, valid_to) (null valid_to: still valid) is in scope when it meets the scope's span;
-- an instant (valid_to = valid_from, e.g. a downgrade) when it falls inside.
create or replace temp macro in_scope_interval(valid_from, valid_to) as (
  (scope_start_at() is null or valid_to is null or valid_to > scope_start_at() or valid_from >= scope_start_at())
  and (scope_end_at() is null or valid_from < scope_end_at())
);
