-- provisioning_live_interval: the live share intervals the share checks read, with the effective v2 IOPS/throughput
-- flags (the interval builder fills in the recommended default when none was observed, and flags it) and the
-- share's name as the sentences use it (share_label). grain: share_interval's.
create or replace temp macro share_label(resource_kind, billing_resource_id, share_resource_id) as (
  case resource_kind
    when 'classic' then regexp_extract(billing_resource_id, '[^/]+$') || '/' || regexp_extract(share_resource_id, '[^/]+$')
    else regexp_extract(share_resource_id, '[^/]+$')
  end
);

create or replace temp view provisioning_live_interval as
select
  *,
  coalesce(is_iops_default, false) as is_iops_recommended,
  coalesce(is_mibps_default, false) as is_mibps_recommended,
  share_label(resource_kind, billing_resource_id, share_resource_id) as share_label
from share_interval
where state = 'live';
