-- Scope predicates (temp macros) for every sql/dispute query. They read dispute_scope and dispute_scope_prefix
-- (lower-cased prefixes, at least one: a dispute is always about named resources).
-- A macro argument is spliced in as written, so it must never land inside a subquery over the scope tables: there a
-- caller's column named like a scope column (billing_month) would bind to the scope table instead. The subqueries
-- below are uncorrelated scalars; the argument stays outside them.

create or replace temp macro dispute_resource_in_scope(resource_id) as (
  len(list_filter((select list(prefix) from dispute_scope_prefix), p -> starts_with(lower(resource_id), p))) > 0
);

create or replace temp macro dispute_month_in_scope(month_text) as (
  month_text = (select billing_month from dispute_scope)
);
