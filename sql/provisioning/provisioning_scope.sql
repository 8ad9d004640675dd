-- provisioning_scope: the stage's scope as one row (grain: none, a single row). $from and $to are inclusive UTC
-- usage days ('YYYY-MM-DD') or NULL for an open end; end_at is exclusive (the day after $to).
create or replace temp table provisioning_scope as
with
bounds as (
  select $from::date as from_date, $to::date as to_date
),

final as (
  select from_date::timestamp as start_at, (to_date + 1)::timestamp as end_at from bounds
)
select * from final;
