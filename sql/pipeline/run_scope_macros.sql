-- The run's scope predicates (temp macros) over run_scope, run_scope_month and run_scope_prefix (run_scope.sql).
-- Prefixes are stored lower-cased and ids are lower-cased here, so every match is case-insensitive by construction.
-- The macros read the scope through connection variables copied from those tables here, not through subqueries
-- over them: DuckDB folds getvariable() into a constant when it binds a query, so a predicate becomes a plain
-- filter (a whole-scope one disappears, a month one is pushed into the table scan), where each subquery was a
-- cross product and a nested-loop join over every row it filtered (7.5 s of operator time in the 2M-row bench
-- night's recompute, and some in every other stage). So this file runs again whenever the tables change
-- (installRunScope, src/scope.ts), and dropRunScope removes the variables and macros with the tables, so that
-- nothing reads a scope no longer there. With no subquery left, a macro argument (spliced in as written) cannot
-- bind to a scope table's column.

set variable recon_scope_month = (select month from run_scope);
set variable recon_scope_from_day = (select from_day from run_scope);
set variable recon_scope_to_day = (select to_day from run_scope);
set variable recon_scope_every_month = (select coalesce(every_month, false) from run_scope);
set variable recon_scope_months = (
  select coalesce(list(billing_month order by billing_month), []) from run_scope_month
);
set variable recon_scope_prefixes = (
  select coalesce(list(prefix order by prefix), []::varchar[]) from run_scope_prefix
);

-- No prefix: every resource. A null id (an unmapped line without one) is in scope only then.
create or replace temp macro in_scope_resource(resource_id) as (
  len(getvariable('recon_scope_prefixes')) = 0
  or len(list_filter(getvariable('recon_scope_prefixes'), p -> starts_with(lower(resource_id), p))) > 0
);

-- The run's months, or for a stage slice without a month (every_month, run_scope.sql) every month its --from/--to
-- touches (all months for neither), as the runner picks the run's months (src/pipeline/run-plan.ts).
create or replace temp macro in_scope_month(month_text) as (
  coalesce(list_contains(getvariable('recon_scope_months'), month_text), false)
  or (
    getvariable('recon_scope_every_month')
    and coalesce(
      last_day(strptime(month_text || '-01', '%Y-%m-%d')::date) >= getvariable('recon_scope_from_day'), true
    )
    and coalesce(strptime(month_text || '-01', '%Y-%m-%d')::date <= getvariable('recon_scope_to_day'), true)
  )
);

-- The scope's months as a list for a relation restricted to them before any work (billed_line_meter_of); null for
-- a slice without a month (every month: in_scope_month then cuts by --from/--to, as it does after).
create or replace temp macro scope_month_list() as (
  case
    when getvariable('recon_scope_every_month') then null
    else getvariable('recon_scope_months')
  end
);

-- A null day is a month-level row (contract.md): in scope with its month.
create or replace temp macro in_scope_day(day) as (
  day is null
  or (coalesce(day::date >= getvariable('recon_scope_from_day'), true)
      and coalesce(day::date <= getvariable('recon_scope_to_day'), true))
);

-- A case (first_day … last_day, null for month-level) is in scope when any of its days is: a case is reported
-- whole, so a --from/--to that cuts a case shows all of it (docs/findings.md).
create or replace temp macro in_scope_span(first_day, last_day) as (
  first_day is null
  or (coalesce(last_day::date >= getvariable('recon_scope_from_day'), true)
      and coalesce(first_day::date <= getvariable('recon_scope_to_day'), true))
);

-- A row of a billing month, usage day and billed resource (billed and expected usage, comparison, findings).
create or replace temp macro in_scope_row(month_text, day, resource_id) as (
  in_scope_month(month_text) and in_scope_day(day) and in_scope_resource(resource_id)
);

-- The scope's usage days as a half-open span of UTC timestamps [scope_start_at(), scope_end_at()): the days of
-- --from/--to within its one month (a stage slice's); null for an open end.
create or replace temp macro scope_start_at() as (
  greatest(
    getvariable('recon_scope_from_day'), strptime(getvariable('recon_scope_month') || '-01', '%Y-%m-%d')::date
  )::timestamp
);

create or replace temp macro scope_end_at() as (
  (least(
    getvariable('recon_scope_to_day'), last_day(strptime(getvariable('recon_scope_month') || '-01', '%Y-%m-%d')::date)
  ) + 1)::timestamp
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
