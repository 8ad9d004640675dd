-- Scope predicates (temp macros) shared by every recompute SQL file, so the slice that is deleted is exactly the
-- slice that is rebuilt. They read recompute_scope and recompute_scope_prefix (lower-cased prefixes; none = all).

create or replace temp macro recompute_resource_in_scope(billing_resource_id) as (
  not exists (select 1 from recompute_scope_prefix)
  or exists (select 1 from recompute_scope_prefix p where starts_with(lower(billing_resource_id), p.prefix))
);

create or replace temp macro recompute_day_in_scope(usage_date) as (
  (select (s.window_from is null or usage_date >= s.window_from::date)
      and (s.window_to is null or usage_date < s.window_to::date)
   from recompute_scope s)
);

-- A billing month is in scope when the window touches any of its days.
create or replace temp macro recompute_month_in_scope(billing_month) as (
  (select (s.window_from is null or billing_month >= strftime(s.window_from, '%Y-%m'))
      and (s.window_to is null or billing_month <= strftime(s.window_to - interval 1 day, '%Y-%m'))
   from recompute_scope s)
);
