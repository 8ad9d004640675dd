-- provisioning_violation: replace the rows in the stage's scope with the freshly evaluated ones
-- (provisioning_violation_evaluated). grain: violation_id.
-- In scope: the violation's span [valid_from, valid_to) meets the stage slice's days (in_scope_interval, a downgrade
-- is an instant, in scope when it falls inside), and its billed resource or share id is in scope (in_scope_resource;
-- sql/pipeline/run_scope_macros.sql). A stored row whose id comes back is replaced even if it lay outside the scope
-- before (its run has grown into it).
create or replace temp table provisioning_violation_scoped as
with
evaluated as (
  select * from provisioning_violation_evaluated
),

final as (
  select * from evaluated
  where in_scope_interval(valid_from, valid_to)
    and (in_scope_resource(billing_resource_id) or in_scope_resource(share_resource_id))
)
select * from final;

delete from provisioning_violation
where violation_id in (select violation_id from provisioning_violation_scoped)
  or (in_scope_interval(valid_from, valid_to)
      and (in_scope_resource(billing_resource_id) or in_scope_resource(share_resource_id)));

insert into provisioning_violation by name
select * from provisioning_violation_scoped order by violation_id;
