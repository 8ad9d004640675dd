// The provisioning stage: finds inventory states Azure does not allow (billing-rules.md §1–§4) and records them in
// provisioning_violation, from which the diff stage makes `metadata_violation` findings. The rules are SQL
// (sql/provisioning/) over share_interval and share_observation, with the limits and availability as data
// (sql/provisioning/model.sql) and the formulas as the 004 macros.
import type { Warehouse } from '../db/warehouse.ts';
import { withStageScope, type RunScope } from '../scope.ts';

export interface ProvisioningReport {
  /** Violations now recorded in the scope. */
  violations: number;
  /** The same, per rule (e.g. v2_min_iops, downgrade_within_24h, account_v2_share_count). */
  byRule: Record<string, number>;
}

const STAGE = 'provisioning';

/**
 * Evaluate every provisioning rule and replace the rows of provisioning_violation in `scope`: its usage days (a
 * month is its first to last UTC day) and the violations whose billed resource or share id starts with one of its
 * prefixes.
 */
export async function evaluateProvisioning(wh: Warehouse, scope: RunScope = {}): Promise<ProvisioningReport> {
  return withStageScope(wh, STAGE, scope, () => evaluateSlice(wh));
}

/** The rules over the stage's slice, installed as the scope (run_scope, read by in_scope_interval and _resource). */
async function evaluateSlice(wh: Warehouse): Promise<ProvisioningReport> {
  return wh.transaction(STAGE, async () => {
    await wh.runFile('provisioning/provisioning_equal_state_run.sql');
    await wh.runFile('provisioning/provisioning_live_interval.sql');
    await wh.runFile('provisioning/provisioning_share_limit.sql');
    await wh.runFile('provisioning/provisioning_availability.sql');
    await wh.runFile('provisioning/provisioning_share_run.sql');
    await wh.runFile('provisioning/provisioning_downgrade.sql');
    await wh.runFile('provisioning/provisioning_account_limit.sql');
    await wh.runFile('provisioning/provisioning_violation_evaluated.sql');

    await wh.runFile('provisioning/provisioning_violation.sql');
    const counts = await wh.rows<{ rule: string; n: string }>(
      'select rule, count(*)::varchar as n from provisioning_violation_scoped group by rule order by rule',
      undefined,
      { stage: STAGE },
    );
    const byRule: Record<string, number> = {};
    let violations = 0;
    for (const { rule, n } of counts) {
      // Row counts, not quantities: a JS number is the right type here.
      const count = Number(n);
      byRule[rule] = count;
      violations += count;
    }
    return { violations, byRule };
  });
}
