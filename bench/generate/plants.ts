// Planted discrepancies: which billed rows are made wrong, how, and the finding recon must report for each — kind
// and key (billing_resource_id lower-cased as recon keys it, canonical meter or null, usage_date). About one per
// 2,000 share-days and at least one of every kind recon classifies; every plant owns its resource-day, so no two
// interact. Plants sit only on days the inventory covers completely (otherwise recon rightly says unverifiable).
import { InputError } from '../../src/errors.ts';
import type { Calendar } from './calendar.ts';
import { fullDays, type DiskSnapshot } from './disks.ts';
import { formatScaled, parseScaled, scaleBy, SCALE, toScaled } from './exact.ts';
import { withTags, type Fleet, type FilesResource, type Placement } from './fleet.ts';
import { meterFor, otherRedundancy, unmappedMeterFor, type MeterKey, type MeterOwner } from './meters.ts';
import { Prng } from './prng.ts';
import { ownerOf, primaryKey, rowOf, snapshotOwner, type Row } from './rows.ts';
import type { DeletionPlan } from './shares.ts';

export type PlantType =
  | 'quantity_too_high'
  | 'quantity_too_low'
  | 'missing_line'
  | 'unexpected_line'
  | 'duplicate_line'
  | 'unit_mismatch'
  | 'wrong_meter'
  | 'price_mismatch'
  | 'unmapped_meter'
  | 'unverifiable'
  | 'metadata_violation';

export type FindingKind =
  | 'quantity_mismatch'
  | 'missing_charge'
  | 'unexpected_charge'
  | 'duplicate_charge'
  | 'unit_mismatch'
  | 'wrong_meter'
  | 'price_mismatch'
  | 'unmapped_meter'
  | 'unverifiable'
  | 'metadata_violation';

/** The finding kind recon emits (findings.json `kind`) for each plant. */
export const PLANT_KIND: Record<PlantType, FindingKind> = {
  quantity_too_high: 'quantity_mismatch',
  quantity_too_low: 'quantity_mismatch',
  missing_line: 'missing_charge',
  unexpected_line: 'unexpected_charge',
  duplicate_line: 'duplicate_charge',
  unit_mismatch: 'unit_mismatch',
  wrong_meter: 'wrong_meter',
  price_mismatch: 'price_mismatch',
  unmapped_meter: 'unmapped_meter',
  unverifiable: 'unverifiable',
  metadata_violation: 'metadata_violation',
};

export const PLANT_TYPES = Object.keys(PLANT_KIND) as PlantType[];

/** One planted discrepancy and the finding recon must report for it. */
export interface Answer {
  id: string;
  plant: PlantType;
  kind: FindingKind;
  billing_resource_id: string;
  meter: MeterKey | null;
  usage_date: string;
  billed_quantity: string | null;
  expected_quantity: string | null;
  note: string;
}

export type PlantTarget =
  | { kind: 'resource'; resource: FilesResource }
  | { kind: 'snapshot'; snapshot: DiskSnapshot }
  | { kind: 'orphan'; resource: FilesResource }
  | { kind: 'share'; resource: FilesResource; shareIndex: number; iops: number };

export interface Plant {
  ordinal: number;
  type: PlantType;
  day: number;
  target: PlantTarget;
  answer: Answer;
}

export interface PlantBook {
  plants: Plant[];
  /** 'resource:<index>:<day>' or 'snapshot:<index>:<day>' → the plant on that resource-day */
  byTarget: Map<string, Plant>;
  /** orphan rows by day */
  orphansByDay: Map<number, Plant[]>;
  /** share index → the IOPS a metadata plant fixes it at */
  fixedIops: Map<number, number>;
}

export const resourceTarget = (index: number, day: number) => `resource:${index}:${day}`;
export const snapshotTarget = (index: number, day: number) => `snapshot:${index}:${day}`;

/** Explicit IOPS below the v2 SSD minimum of 3,000: a metadata_violation (billing-rules §2 limits). */
const BELOW_MINIMUM_IOPS = 2000;

interface Candidates {
  resources: FilesResource[];
  v2WithoutDeletion: FilesResource[];
  ssdShares: { resource: FilesResource; shareIndex: number }[];
  snapshots: { snapshot: DiskSnapshot; first: number; last: number }[];
}

export function choosePlants(
  fleet: Fleet,
  snapshots: readonly DiskSnapshot[],
  deletions: ReadonlyMap<number, DeletionPlan>,
  options: { seed: number; monthKey: number; days: number; shares: number; plant: boolean },
  calendar: Calendar,
): PlantBook {
  const book: PlantBook = { plants: [], byTarget: new Map(), orphansByDay: new Map(), fixedIops: new Map() };
  if (!options.plant) return book;
  // a share deleted within the generated days bills soft-deleted usage on its account
  const deleted = (r: FilesResource) => r.shares.some((s) => (deletions.get(s.index)?.day ?? Infinity) <= options.days);
  const candidates: Candidates = {
    resources: fleet.resources,
    v2WithoutDeletion: fleet.resources.filter((r) => r.model === 'v2' && !deleted(r)),
    ssdShares: fleet.shares
      .filter((s) => s.resource.model === 'v2' && s.resource.media === 'ssd' && !deletions.has(s.index))
      .map((s) => ({ resource: s.resource, shareIndex: s.index })),
    snapshots: snapshots.flatMap((snapshot) => {
      const span = fullDays(snapshot, options.days);
      return span ? [{ snapshot, first: span[0], last: span[1] }] : [];
    }),
  };
  const rng = new Prng(options.seed, options.monthKey, 5);
  const total = Math.max(PLANT_TYPES.length, Math.round((options.shares * options.days) / 2000));
  // the most constrained kinds choose first, while their few candidates are still free
  const types: PlantType[] = [
    'metadata_violation',
    'unexpected_line',
    ...PLANT_TYPES.filter((t) => t !== 'metadata_violation' && t !== 'unexpected_line'),
  ];
  // beyond one of each: mostly the charge errors, a few of the rest
  const weights = PLANT_TYPES.map((t) => (t === 'metadata_violation' || t === 'unverifiable' ? 1 : 4));
  while (types.length < total) types.push(PLANT_TYPES[rng.weighted(weights)] ?? 'quantity_too_high');

  const taken = new Set<string>();
  types.forEach((type, ordinal) => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const picked = pickTarget(type, rng, candidates, options.days, ordinal);
      if (picked === null) break;
      const key =
        picked.target.kind === 'snapshot'
          ? snapshotTarget(picked.target.snapshot.index, picked.day)
          : picked.target.kind === 'orphan'
            ? `orphan:${ordinal}`
            : resourceTarget(picked.target.resource.index, picked.day);
      if (taken.has(key)) continue;
      taken.add(key);
      const plant: Plant = {
        ordinal,
        type,
        day: picked.day,
        target: picked.target,
        answer: initialAnswer(type, ordinal, picked.target, picked.day, calendar),
      };
      book.plants.push(plant);
      if (picked.target.kind === 'orphan') {
        const list = book.orphansByDay.get(picked.day) ?? [];
        list.push(plant);
        book.orphansByDay.set(picked.day, list);
      } else if (picked.target.kind === 'share') {
        book.fixedIops.set(picked.target.shareIndex, picked.target.iops);
        book.byTarget.set(key, plant);
      } else {
        book.byTarget.set(key, plant);
      }
      return;
    }
    throw new InputError(
      `--shares ${options.shares}: too few resources to plant the ${type} discrepancy on a resource-day of its ` +
        `own over ${options.days} day(s); raise --shares or --days, or pass --no-plant`,
    );
  });
  return book;
}

function pickTarget(
  type: PlantType,
  rng: Prng,
  c: Candidates,
  days: number,
  ordinal: number,
): { target: PlantTarget; day: number } | null {
  const anyDay = () => rng.int(1, days);
  switch (type) {
    case 'unexpected_line':
      // a soft-deleted usage charge on an account none of whose shares is deleted this month
      return c.v2WithoutDeletion.length === 0
        ? null
        : { target: resourceOf(rng.pick(c.v2WithoutDeletion)), day: anyDay() };
    case 'metadata_violation': {
      if (c.ssdShares.length === 0) return null;
      const share = rng.pick(c.ssdShares);
      // the violation starts with the month's first observation: its usage_date is day 1
      return { target: { kind: 'share', ...share, iops: BELOW_MINIMUM_IOPS }, day: 1 };
    }
    case 'unverifiable':
      return { target: { kind: 'orphan', resource: orphanAccount(c.resources, ordinal) }, day: anyDay() };
    default:
      // one in ten on a disk snapshot, on a day it exists from start to end
      if (c.snapshots.length > 0 && rng.chance(1, 10)) {
        const s = rng.pick(c.snapshots);
        return { target: { kind: 'snapshot', snapshot: s.snapshot }, day: rng.int(s.first, s.last) };
      }
      return { target: resourceOf(rng.pick(c.resources)), day: anyDay() };
  }
}

const resourceOf = (resource: FilesResource): PlantTarget => ({ kind: 'resource', resource });

/** A pay-as-you-go account the inventory never mentions: its charges can be neither confirmed nor refuted. */
function orphanAccount(resources: readonly FilesResource[], ordinal: number): FilesResource {
  const template = resources[ordinal % resources.length] ?? resources[0];
  if (!template) throw new InputError('no resources to model an unverifiable charge on');
  const placement: Placement = { ...template.placement, resourceGroup: 'rg-legacy-archive' };
  const name = `stlegacyarch${String(ordinal).padStart(4, '0')}`;
  const id = `/subscriptions/${placement.subscription.id}/resourceGroups/${placement.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${name}`;
  return {
    ...withTags({ id, name, placement, focusType: 'Storage account', armType: 'microsoft.storage/storageaccounts' }, [
      ['env', 'prod'],
      ['owner', 'legacy-archive@contoso.example'],
    ]),
    index: -1,
    kind: 'classic',
    key: id.toLowerCase(),
    model: 'payg',
    media: 'hdd',
    redundancy: 'lrs',
    tier: 'hot',
    shares: [],
  };
}

function targetKey(target: PlantTarget): string {
  return target.kind === 'snapshot' ? target.snapshot.key : target.resource.key;
}

function targetOwner(target: PlantTarget): MeterOwner {
  return target.kind === 'snapshot' ? snapshotOwner(target.snapshot) : ownerOf(target.resource);
}

function initialAnswer(type: PlantType, ordinal: number, target: PlantTarget, day: number, calendar: Calendar): Answer {
  const model = targetOwner(target).model;
  const meter: MeterKey | null =
    type === 'metadata_violation' || type === 'unmapped_meter'
      ? null
      : type === 'unexpected_line'
        ? 'v2.soft_deleted'
        : type === 'missing_line' && model === 'v2'
          ? 'v2.provisioned_iops'
          : primaryKey(model);
  return {
    id: `p${String(ordinal + 1).padStart(4, '0')}`,
    plant: type,
    kind: PLANT_KIND[type],
    billing_resource_id: targetKey(target),
    meter,
    usage_date: calendar.day(day).iso,
    billed_quantity: null,
    expected_quantity: null,
    note: '',
  };
}

/** Makes a resource-day's rows wrong the way the plant says, and records the figures in its answer. */
export function applyPlant(rows: Row[], plant: Plant, monthDays: number, seed: number, monthKey: number): Row[] {
  const answer = plant.answer;
  const rng = new Prng(seed, monthKey, 6, plant.ordinal);
  const owner = targetOwner(plant.target);
  const resource = plant.target.kind === 'snapshot' ? plant.target.snapshot : plant.target.resource;
  const hoursInMonth = BigInt(24 * monthDays);
  const at = (key: MeterKey | null): number => {
    const index = rows.findIndex((r) => r.meter.key === key);
    if (index < 0)
      throw new Error(`plant ${answer.id}: no ${key} row on ${answer.usage_date} for ${answer.billing_resource_id}`);
    return index;
  };
  const replace = (index: number, row: Row): Row[] => rows.map((r, i) => (i === index ? row : r));
  const record = (billed: bigint | null, expected: bigint | null, note: string) => {
    answer.billed_quantity = billed === null ? null : formatScaled(billed);
    answer.expected_quantity = expected === null ? null : formatScaled(expected);
    answer.note = note;
  };
  switch (plant.type) {
    case 'quantity_too_high':
    case 'quantity_too_low': {
      const index = at(answer.meter);
      const row = rows[index] as Row;
      const [num, den] = plant.type === 'quantity_too_high' ? [13n, 12n] : [7n, 8n];
      const billed = scaleBy(row.quantity16, num, den);
      record(billed, row.quantity16, `billed ${num}/${den} of the expected quantity`);
      return replace(index, rowOf(row.day, row.resource, row.meter, billed));
    }
    case 'missing_line': {
      const index = at(answer.meter);
      record(0n, (rows[index] as Row).quantity16, 'the line is left out of the export');
      return rows.filter((_, i) => i !== index);
    }
    case 'unexpected_line': {
      const gibHours = BigInt(rng.int(1, 200) * 24);
      const row = rowOf(plant.day, resource, meterFor(owner, 'v2.soft_deleted'), gibHours * SCALE);
      record(row.quantity16, 0n, 'soft-deleted usage billed on an account without a deleted share');
      return [...rows, row];
    }
    case 'duplicate_line': {
      const index = at(answer.meter);
      const row = rows[index] as Row;
      record(row.quantity16, null, 'the same line appears twice in the delivery');
      return [...rows.slice(0, index + 1), { ...row }, ...rows.slice(index + 1)];
    }
    case 'unit_mismatch': {
      const index = at(answer.meter);
      const row = rows[index] as Row;
      // v2 (hourly units) billed in monthly units; the monthly-unit meters billed in hourly units
      const billed = owner.model === 'v2' ? scaleBy(row.quantity16, 1n, hoursInMonth) : row.quantity16 * hoursInMonth;
      record(
        billed,
        row.quantity16,
        owner.model === 'v2' ? 'billed in monthly units (÷ 24 × days)' : 'billed in hourly units (× 24 × days)',
      );
      return replace(index, rowOf(row.day, row.resource, row.meter, billed));
    }
    case 'wrong_meter': {
      const key = primaryKey(owner.model);
      const index = at(key);
      const row = rows[index] as Row;
      // the same meter of another redundancy: same key and unit, its own price (so no price mismatch too)
      const redundancy = otherRedundancy(owner.redundancy);
      const meter = meterFor({ ...owner, redundancy }, key);
      record(row.quantity16, row.quantity16, `billed on ${meter.name} instead of ${row.meter.name}`);
      return replace(index, rowOf(row.day, row.resource, meter, row.quantity16));
    }
    case 'price_mismatch': {
      const index = at(primaryKey(owner.model));
      const row = rows[index] as Row;
      const cost = scaleBy(row.cost16, 21n, 20n) + parseScaled('0.01');
      record(row.quantity16, row.quantity16, `cost ${formatScaled(cost)} instead of ${formatScaled(row.cost16)}`);
      return replace(index, { ...row, cost16: cost });
    }
    case 'unmapped_meter': {
      const meter = unmappedMeterFor(owner);
      const quantity = BigInt(rng.int(1, 50000)) * 10n ** 12n;
      record(quantity, null, `meter '${meter.name}' is not in the meter catalog`);
      return [...rows, rowOf(plant.day, resource, meter, quantity)];
    }
    case 'unverifiable':
    case 'metadata_violation':
      return rows;
  }
}

/** The charge of a planted unverifiable account on its day. */
export function orphanRow(plant: Plant, monthDays: number, seed: number, monthKey: number): Row {
  const rng = new Prng(seed, monthKey, 6, plant.ordinal);
  const resource = plant.target.kind === 'orphan' ? plant.target.resource : null;
  if (!resource) throw new Error(`plant ${plant.answer.id} is not an unverifiable account`);
  const meter = meterFor(ownerOf(resource), 'payg.data_stored');
  const quantity = toScaled(BigInt(rng.int(100, 5000)), BigInt(monthDays));
  plant.answer.billed_quantity = formatScaled(quantity);
  plant.answer.note = 'an account the inventory does not describe';
  return rowOf(plant.day, resource, meter, quantity);
}

/** Sets the answer of a metadata plant (no rows change: the inventory carries it). */
export function describeMetadataPlant(plant: Plant): void {
  if (plant.target.kind !== 'share') return;
  const { shareIndex, iops, resource } = plant.target;
  const share = resource.shares.find((s) => s.index === shareIndex);
  plant.answer.note = `share ${share?.name ?? shareIndex} provisioned with ${iops} IOPS, below the v2 SSD minimum of 3,000`;
}
