// The scope of a dispute (one billing month, one or more billed-resource prefixes): validated, named as a folder
// slug, and installed as the scope (run_scope, read through the in_scope_* macros) for every sql/dispute query.
// Values travel as bound parameters, never as SQL text.
import { createHash } from 'node:crypto';
import { ensureMeterCatalog } from '../billing/meter-catalog.ts';
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
 * Installs dispute_parameter and the pack's views, and makes sure the meter catalog is loaded (the pack reads each
 * line's meter key from billed_line_meter and each key's unit from meter_key_unit, even when the billed stage never
 * ran here); the pack's slice must be installed as the scope already (withStageScope, src/scope.ts).
 */
export async function installDispute(wh: Warehouse): Promise<void> {
  await wh.runFile('dispute/dispute_parameter.sql', { timeline_source_limit: TIMELINE_SOURCE_LIMIT });
  await ensureMeterCatalog(wh);
  await wh.runFile('dispute/dispute_source_span.sql');
}
