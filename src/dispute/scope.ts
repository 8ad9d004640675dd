// The scope of a dispute (one billing month, one or more billed-resource prefixes): validated, named as a folder
// slug, and installed as the scope (run_scope, read through the in_scope_* macros) for every sql/dispute query.
// Values travel as bound parameters, never as SQL text.
import { createHash } from 'node:crypto';
import { ensureMeterKeyUnits } from '../billing/meter-catalog.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../errors.ts';
import { checkScope, type RunScope } from '../scope.ts';

/**
 * The run scope (src/scope.ts) with its month and prefixes required: one UTC calendar billing month and at least one
 * case-insensitive prefix of billing_resource_id (the storage account for classic shares).
 */
export type DisputeScope = Required<Pick<RunScope, 'month' | 'resourcePrefixes'>>;

export interface ResolvedDisputeScope {
  month: string;
  /** Trimmed, lower-cased, de-duplicated and sorted: the same set always gives the same folder. */
  prefixes: string[];
}

/** timeline.csv shows at most this many shares / snapshots (744 hours each): beyond it the file stops being legible. */
export const TIMELINE_SOURCE_LIMIT = 50;

const SLUG_MAX_LENGTH = 40;

export function resolveDisputeScope(scope: DisputeScope): ResolvedDisputeScope {
  const { prefixes } = checkScope('dispute', scope);
  if (prefixes.length === 0) throw new InputError('dispute: name at least one resource (--resource <id-or-prefix>)');
  return { month: scope.month, prefixes };
}

/**
 * A filesystem-safe name for the prefixes: the last path segment of each (the account, share or snapshot name),
 * lower-case [a-z0-9-], joined by '-'. Several prefixes, a name cut to 40 characters, or one with nothing left
 * after cleaning get a short hash of the whole prefix set, so two different scopes never share a folder that way.
 */
export function disputeSlug(prefixes: readonly string[]): string {
  const normalised = [...new Set(prefixes.map((p) => p.trim().toLowerCase()))].sort();
  const parts = normalised
    .map((prefix) => {
      const segments = prefix.split('/').filter((segment) => segment !== '');
      return (segments.at(-1) ?? '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    })
    .filter((part) => part !== '');
  let slug = parts.join('-');
  const isTruncated = slug.length > SLUG_MAX_LENGTH;
  if (isTruncated) slug = slug.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
  if (normalised.length > 1 || isTruncated || slug === '') {
    const hash = createHash('sha256').update(normalised.join('\n')).digest('hex').slice(0, 8);
    slug = slug === '' ? `resource-${hash}` : `${slug}-${hash}`;
  }
  return slug;
}

/**
 * Installs dispute_parameter and the pack's views (and makes sure meter_key_unit is filled); the pack's slice must
 * be installed as the scope already (withStageScope, src/scope.ts).
 */
export async function installDispute(wh: Warehouse): Promise<void> {
  const stage = { stage: 'dispute' };
  await wh.runFile('dispute/dispute_parameter.sql', { timeline_source_limit: TIMELINE_SOURCE_LIMIT });
  // The meter units are the catalog's (meter_key_unit, written from src/billing/meters.ts).
  await ensureMeterKeyUnits(wh);
  // The billed stage creates billed_line_meter (the meter key of each line); without it the lines stay unmapped.
  const view = await wh.row<{ n: string }>(
    "select count(*)::varchar as n from duckdb_views() where view_name = 'billed_line_meter' and not temporary",
    undefined,
    stage,
  );
  await wh.runFile(
    view?.n === '0' ? 'dispute/dispute_billed_line_counted.sql' : 'dispute/dispute_billed_line_meter.sql',
  );
  await wh.runFile('dispute/dispute_source_span.sql');
}
