-- provisioning_violation: replace the rows in the stage's scope with the freshly evaluated ones
-- (provisioning_violation_evaluated). grain: violation_id.
-- In scope: the violation's span [valid_from, valid_to) meets [start_at, end_at) of provisioning_scope (a downgrade
-- is an instant, valid_to = valid_from, in scope when it falls inside), and its billed resource or share id starts
-- with one of provisioning_scope_prefix (lower-cased, and the ids lower-cased to match; no prefixes: every
-- resource). A stored row whose id comes back is replaced
-- even if it lay outside the scope before (its run has grown into it).
create or replace temp macro provisioning_is_in_scope(valid_from, valid_to, share_resource_id, billing_resource_id) as (
  (
    select
      (s.start_at is null or valid_to is null or valid_to > s.start_at or valid_from >= s.start_at)
      and (s.end_at is null or valid_from < s.end_at)
    from provisioning_scope as s
  )
  and (
    not exists (select 1 from provisioning_scope_prefix)
    or exists (
      select 1 from provisioning_scope_prefix as p
      where starts_with(lower(billing_resource_id), p.prefix) or starts_with(lower(coalesce(share_resource_id, '')), p.prefix)
    )
  )
);

create or replace temp table provisioning_violation_scoped as
with
evaluated as (
  select * from provisioning_violation_evaluated
),

final as (
  select * from evaluated
  where provisioning_is_in_scope(valid_from, valid_to, share_resource_id, billing_resource_id)
)
select * from final;

delete from provisioning_violation
where violation_id in (select violation_id from provisioning_violation_scoped)
  or provisioning_is_in_scope(valid_from, valid_to, share_resource_id, billing_resource_id);

insert into provisioning_violation by name
select * from provisioning_violation_scoped order by violation_id;
