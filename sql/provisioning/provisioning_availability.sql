-- share_availability_violation: live share intervals described with a model, media, redundancy or protocol Azure
-- does not offer for their resource kind (provisioning_availability; billing-rules.md §1), each explained by the
-- most general problem first. grain: one row per interval, before runs are collapsed (provisioning_share_run.sql).
create or replace temp view share_availability_violation as
with
availability as (
  select * from provisioning_availability
),

live_intervals as (
  select * from provisioning_live_interval
),

offered_media as (
  select billing_model, resource_kind, string_agg(distinct upper(media_tier), ', ' order by upper(media_tier)) as media_list
  from availability group by all
),

offered_redundancy as (
  select billing_model, resource_kind, media_tier,
    string_agg(distinct upper(redundancy), ', ' order by upper(redundancy)) as redundancy_list
  from availability group by all
),

offered_protocol as (
  select billing_model, resource_kind, media_tier, redundancy,
    string_agg(distinct upper(protocol), ', ' order by upper(protocol)) as protocol_list,
    list(protocol) as protocols
  from availability group by all
),

availability_checks as (
  select
    i.*,
    case i.billing_model when 'v2' then 'provisioned v2' when 'v1' then 'provisioned v1' else 'pay-as-you-go' end as model_label,
    case i.resource_kind when 'classic' then 'classic' else 'Microsoft.FileShares' end as kind_label,
    m.media_list,
    r.redundancy_list,
    p.protocol_list,
    p.protocols is not null and (i.protocol is null or list_contains(p.protocols, i.protocol)) as is_available
  from live_intervals as i
  left join offered_media as m on m.billing_model = i.billing_model and m.resource_kind = i.resource_kind
  left join offered_redundancy as r
    on r.billing_model = i.billing_model and r.resource_kind = i.resource_kind and r.media_tier = i.media_tier
  left join offered_protocol as p
    on p.billing_model = i.billing_model and p.resource_kind = i.resource_kind and p.media_tier = i.media_tier
    and p.redundancy = i.redundancy
),

availability_violations as (
  select
    'availability' as rule,
    null::varchar as dimension,
    share_resource_id,
    billing_resource_id,
    billing_model,
    media_tier,
    valid_from,
    valid_to,
    observed_at,
    null::varchar as unit,
    null::bigint as limit_value,
    null::bigint as actual_value,
    null::bigint as previous_value,
    null::timestamp as raised_at,
    'Share ' || share_label || ' is described as ' || model_label || ' ' || kind_label || ' on ' || upper(media_tier)
    || ' ' || upper(redundancy) || coalesce(' over ' || upper(protocol), '') || ', which Azure does not offer: '
    || case
      when media_list is null then model_label || ' is not offered for ' || kind_label || ' shares.'
      when redundancy_list is null then model_label || ' ' || kind_label || ' shares exist only on ' || media_list || '.'
      when protocol_list is null then
        upper(redundancy) || ' is not offered for ' || model_label || ' ' || kind_label || ' shares on ' || upper(media_tier)
        || ' (offered: ' || redundancy_list || ').'
      else
        upper(protocol) || ' is not offered for ' || model_label || ' ' || kind_label || ' shares on ' || upper(media_tier)
        || ' ' || upper(redundancy) || ' (offered: ' || protocol_list || ').'
    end as detail,
    source_file,
    source_line
  from availability_checks
  where not is_available
)
select * from availability_violations;
