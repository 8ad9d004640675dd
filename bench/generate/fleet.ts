// The fleet: storage accounts with their classic shares (1–4 each), Microsoft.FileShares shares and managed disks
// with daily incremental snapshots — names, ARM ids, billing model, media, redundancy, tier, tags and each share's
// starting state. It depends on the share count only (a fixed fleet seed, not --seed, not the month), so datasets of
// several months with the same --shares describe the same resources and can be fed to recon together.
import { csvField, tagsObject, tagsWithoutBraces } from './csv.ts';
import { Prng } from './prng.ts';

export type Model = 'v2' | 'v1' | 'payg';
export type Media = 'ssd' | 'hdd';
export type Redundancy = 'lrs' | 'zrs' | 'grs' | 'gzrs';
export type Tier = 'hot' | 'cool' | 'transaction_optimized';

export const GIB = 1073741824;
export const MIB = 1048576;
const BLOCK = 4096;

const FLEET_SEED = 0x5eed_f11e;

export interface Region {
  /** ARM location, e.g. westeurope */
  name: string;
  /** meterRegion / MCA location, e.g. EU West */
  display: string;
  /** FOCUS RegionName, e.g. West Europe */
  focusName: string;
  code: string;
}

export const REGIONS: readonly Region[] = [
  { name: 'westeurope', display: 'EU West', focusName: 'West Europe', code: 'weu' },
  { name: 'northeurope', display: 'EU North', focusName: 'North Europe', code: 'neu' },
  { name: 'germanywestcentral', display: 'DE West Central', focusName: 'Germany West Central', code: 'gwc' },
  { name: 'eastus2', display: 'US East 2', focusName: 'East US 2', code: 'eu2' },
];

export interface Subscription {
  id: string;
  name: string;
}

export interface Placement {
  subscription: Subscription;
  resourceGroup: string;
  region: Region;
}

/** Anything a billing row is charged on: an account, a FileShares share, a disk snapshot, a VM … */
export interface RowResource {
  /** ARM id as the export writes it (mixed case) */
  id: string;
  name: string;
  placement: Placement;
  /** EA/MCA Tags (members without braces), as a CSV field (quoted) */
  tagsField: string;
  /** FOCUS Tags (a JSON object), as a CSV field */
  tagsJsonField: string;
  /** FOCUS ResourceType, e.g. 'Storage account' */
  focusType: string;
  /** FOCUS x_ResourceType, lower-case ARM type */
  armType: string;
}

export interface ShareState {
  gib: number;
  /** null: not set, Azure's recommended amount applies (v2) */
  iops: number | null;
  mibps: number | null;
  usedBytes: number;
  snapBytes: number;
  /** pay-as-you-go hot/cool only */
  metaBytes: number | null;
}

export interface FilesResource extends RowResource {
  index: number;
  kind: 'classic' | 'fileshares';
  /** lower-case billing_resource_id, as recon keys it */
  key: string;
  model: Model;
  media: Media;
  redundancy: Redundancy;
  /** pay-as-you-go access tier (one per account here); null otherwise */
  tier: Tier | null;
  shares: FleetShare[];
}

export interface FleetShare {
  index: number;
  id: string;
  name: string;
  resource: FilesResource;
  protocol: 'smb' | 'nfs';
  /** share_state.csv access_tier */
  accessTier: string;
  initial: ShareState;
}

export interface Disk {
  index: number;
  id: string;
  name: string;
  placement: Placement;
  redundancy: 'lrs' | 'zrs';
  /** snapshots are taken daily at this hour (UTC) */
  hour: number;
  /** and deleted this many days later */
  retentionDays: number;
  /** the snapshots' tags (the disk's), as CSV fields */
  tagsField: string;
  tagsJsonField: string;
}

export interface Fleet {
  shareCount: number;
  resources: FilesResource[];
  shares: FleetShare[];
  disks: Disk[];
  subscriptions: Subscription[];
}

interface Category {
  label: string;
  model: Model;
  media: Media;
  kind: 'classic' | 'fileshares';
  /** share of the fleet, percent */
  weight: number;
  prefix: string;
  redundancy: readonly (readonly [Redundancy, number])[];
}

const CATEGORIES: readonly Category[] = [
  {
    label: 'v2 SSD',
    model: 'v2',
    media: 'ssd',
    kind: 'classic',
    weight: 22,
    prefix: 'stpv2',
    redundancy: [
      ['lrs', 70],
      ['zrs', 30],
    ],
  },
  {
    label: 'v2 HDD',
    model: 'v2',
    media: 'hdd',
    kind: 'classic',
    weight: 15,
    prefix: 'stsv2',
    redundancy: [
      ['lrs', 50],
      ['zrs', 20],
      ['grs', 20],
      ['gzrs', 10],
    ],
  },
  {
    label: 'v2 FileShares',
    model: 'v2',
    media: 'ssd',
    kind: 'fileshares',
    weight: 10,
    prefix: 'fs',
    redundancy: [
      ['lrs', 60],
      ['zrs', 40],
    ],
  },
  {
    label: 'v1 premium',
    model: 'v1',
    media: 'ssd',
    kind: 'classic',
    weight: 20,
    prefix: 'stprm',
    redundancy: [
      ['lrs', 70],
      ['zrs', 30],
    ],
  },
  {
    label: 'pay-as-you-go',
    model: 'payg',
    media: 'hdd',
    kind: 'classic',
    weight: 33,
    prefix: 'ststd',
    redundancy: [
      ['lrs', 45],
      ['zrs', 20],
      ['grs', 25],
      ['gzrs', 10],
    ],
  },
];

const SHARE_WORDS = [
  'finance',
  'engineering',
  'hr-docs',
  'legal',
  'marketing',
  'scans',
  'profiles',
  'home',
  'builds',
  'archive',
  'media',
  'backups',
  'exports',
  'sap-interfaces',
  'cad-drawings',
  'research',
  'payroll',
  'logs',
  'shared',
  'projects',
];
const APPS = ['erp', 'crm', 'dms', 'intranet', 'bi', 'etl', 'cad', 'vdi', 'web', 'ml'];
const UNITS = ['Finance', 'Engineering', 'Operations', 'Sales', 'Research', 'Corporate IT'];
const ENVS = ['prod', 'prod', 'prod', 'test', 'dev'];

/** Storage share sizes (GiB) a share starts with, per kind of share. */
const SIZES: Record<'v2ssd' | 'v2hdd' | 'v1' | 'paygQuota', readonly number[]> = {
  v2ssd: [32, 64, 100, 128, 256, 512, 1024, 2048, 4096, 8192],
  v2hdd: [32, 100, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768],
  v1: [100, 128, 256, 512, 1024, 2048, 5120, 10240, 16384],
  paygQuota: [5120, 102400],
};

/** An exact byte count near `perMille`‰ of `gib` GiB: whole MiB plus a few 4 KiB blocks. */
export function bytesOfGib(gib: number, perMille: number, rng: Prng): number {
  const mib = intDiv(gib * 1024 * perMille, 1000);
  return mib * MIB + rng.int(0, 255) * BLOCK;
}

function counts(total: number): number[] {
  // cumulative rounding keeps the sum exact; every category gets at least one share
  const result: number[] = [];
  let cumulative = 0;
  let previous = 0;
  for (const c of CATEGORIES) {
    cumulative += c.weight;
    const upTo = Math.round((total * cumulative) / 100);
    result.push(upTo - previous);
    previous = upTo;
  }
  for (let i = 0; i < result.length; i++) {
    if ((result[i] ?? 0) > 0) continue;
    const largest = result.indexOf(Math.max(...result));
    result[largest] = (result[largest] ?? 0) - 1;
    result[i] = 1;
  }
  return result;
}

function pickWeighted<T>(rng: Prng, items: readonly (readonly [T, number])[]): T {
  const item = items[rng.weighted(items.map(([, w]) => w))];
  if (!item) throw new RangeError('pickWeighted: empty list');
  return item[0];
}

function initialState(category: Category, tier: Tier | null, rng: Prng): ShareState {
  if (category.model === 'payg') {
    // used: 1 GiB … ~20 TiB, spread over orders of magnitude; the quota (5 or 100 TiB) holds it with room to grow
    const usedGib = rng.pick([1, 4, 16, 64, 256, 1024, 4096, 16384]);
    const quota = usedGib > 2048 ? 102400 : rng.pick(SIZES.paygQuota);
    const usedBytes = bytesOfGib(usedGib, rng.int(1000, 1300), rng);
    const snapBytes = rng.chance(1, 3) ? 0 : bytesOfGib(usedGib, rng.int(0, 100), rng);
    const metaBytes = tier === 'transaction_optimized' ? null : metadataOf(usedBytes);
    return { gib: quota, iops: null, mibps: null, usedBytes, snapBytes, metaBytes };
  }
  if (category.model === 'v1') {
    const gib = rng.pick(SIZES.v1);
    // a few shares were shrunk below their used size: billed on the used size
    const usedPerMille = rng.chance(1, 10) ? rng.int(1000, 1100) : rng.int(50, 950);
    return {
      gib,
      iops: null,
      mibps: null,
      usedBytes: bytesOfGib(gib, usedPerMille, rng),
      snapBytes: bytesOfGib(gib, rng.int(0, 100), rng),
      metaBytes: null,
    };
  }
  const ssd = category.media === 'ssd';
  const gib = rng.pick(ssd ? SIZES.v2ssd : SIZES.v2hdd);
  const iops = rng.chance(35, 100) ? (ssd ? rng.int(30, 200) * 100 : rng.int(5, 100) * 100) : null;
  const mibps = rng.chance(35, 100) ? (ssd ? rng.int(100, 1500) : rng.int(60, 1000)) : null;
  // some shares run full with snapshots on top: they overflow
  const full = rng.chance(15, 100);
  const usedBytes = bytesOfGib(gib, full ? rng.int(850, 1000) : rng.int(50, 850), rng);
  const snapBytes = bytesOfGib(gib, full ? rng.int(50, 250) : rng.int(0, 150), rng);
  return { gib, iops, mibps, usedBytes: Math.min(usedBytes, gib * GIB), snapBytes, metaBytes: null };
}

/** File-system metadata of a pay-as-you-go hot/cool share: about 1/256 of its data, in 4 KiB blocks. */
export function metadataOf(usedBytes: number): number {
  return (intDiv(usedBytes, 256 * BLOCK) + 1) * BLOCK;
}

/** ⌊a / b⌋ for non-negative safe integers, exactly (the subtraction leaves a multiple of b, so the division is exact). */
export function intDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** ⌈a / b⌉ for non-negative safe integers, exactly. */
export function ceilDiv(a: number, b: number): number {
  return intDiv(a + b - 1, b);
}

/** Tags as organisations set them: some resources carry none, most a few (env, cost centre, application …). */
function tagsFor(rng: Prng, application: string): (readonly [string, string])[] {
  const team = rng.pick(UNITS);
  const all: (readonly [string, string])[] = [
    ['env', rng.pick(ENVS)],
    ['CostCenter', String(rng.int(1000, 9999))],
    ['application', application],
    ['owner', `${team.toLowerCase().replace(/ /g, '-')}@contoso.example`],
    ['business-unit', team],
  ];
  return all.slice(0, rng.pick([0, 1, 2, 2, 3, 3, 3, 4, 5]));
}

/** Tags as the two CSV fields the dialects write (EA/MCA members without braces; FOCUS a JSON object). */
export function tagFields(tags: readonly (readonly [string, string])[]): { tagsField: string; tagsJsonField: string } {
  return {
    tagsField: csvField(tagsWithoutBraces(tags)),
    tagsJsonField: tags.length === 0 ? '' : csvField(tagsObject(tags)),
  };
}

export function withTags(
  resource: Omit<RowResource, 'tagsField' | 'tagsJsonField'>,
  tags: readonly (readonly [string, string])[],
): RowResource {
  return { ...resource, ...tagFields(tags) };
}

export function buildFleet(shareCount: number): Fleet {
  const rng = new Prng(FLEET_SEED, shareCount);
  const subscriptions: Subscription[] = Array.from({ length: Math.max(3, Math.ceil(shareCount / 800)) }, (_, i) => ({
    id: rng.guid(),
    name: `contoso-${rng.pick(['files', 'platform', 'shared', 'data'])}-${rng.pick(['prod', 'prod', 'nonprod'])}-${String(i + 1).padStart(2, '0')}`,
  }));
  const groupCount = Math.max(4, Math.ceil(shareCount / 120));
  const placements: Placement[] = Array.from({ length: groupCount }, (_, i) => {
    const region = rng.pick(REGIONS);
    return {
      subscription: rng.pick(subscriptions),
      region,
      resourceGroup: `RG-Files-${region.code.toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
    };
  });

  const resources: FilesResource[] = [];
  const shares: FleetShare[] = [];
  const perCategory = counts(shareCount);
  CATEGORIES.forEach((category, c) => {
    let left = perCategory[c] ?? 0;
    let accountNo = 0;
    while (left > 0) {
      accountNo++;
      const size = category.kind === 'fileshares' ? 1 : Math.min(left, 1 + rng.weighted([30, 30, 25, 15]));
      left -= size;
      const placement = rng.pick(placements);
      const redundancy = pickWeighted(rng, category.redundancy);
      const tier: Tier | null =
        category.model === 'payg'
          ? pickWeighted<Tier>(rng, [
              ['hot', 40],
              ['cool', 25],
              ['transaction_optimized', 35],
            ])
          : null;
      const application = rng.pick(APPS);
      const rg = `/subscriptions/${placement.subscription.id}/resourceGroups/${placement.resourceGroup}`;
      const accountName = `${category.prefix}${placement.region.code}${String(accountNo).padStart(6, '0')}`;
      const fsName = `fs-${rng.pick(SHARE_WORDS)}-${String(accountNo).padStart(5, '0')}`;
      const id =
        category.kind === 'fileshares'
          ? `${rg}/providers/Microsoft.FileShares/fileShares/${fsName}`
          : `${rg}/providers/Microsoft.Storage/storageAccounts/${accountName}`;
      const base = withTags(
        {
          id,
          name: category.kind === 'fileshares' ? fsName : accountName,
          placement,
          focusType: category.kind === 'fileshares' ? 'File share' : 'Storage account',
          armType:
            category.kind === 'fileshares' ? 'microsoft.fileshares/fileshares' : 'microsoft.storage/storageaccounts',
        },
        tagsFor(rng, application),
      );
      const resource: FilesResource = {
        ...base,
        index: resources.length,
        kind: category.kind,
        key: id.toLowerCase(),
        model: category.model,
        media: category.media,
        redundancy,
        tier,
        shares: [],
      };
      resources.push(resource);
      for (let s = 0; s < size; s++) {
        const name =
          category.kind === 'fileshares' ? fsName : `${rng.pick(SHARE_WORDS)}-${String(s + 1).padStart(2, '0')}`;
        const protocol: 'smb' | 'nfs' =
          category.kind === 'fileshares' ? 'nfs' : category.media === 'ssd' && rng.chance(1, 5) ? 'nfs' : 'smb';
        const share: FleetShare = {
          index: shares.length,
          id: category.kind === 'fileshares' ? id : `${id}/fileServices/default/shares/${name}`,
          name,
          resource,
          protocol,
          accessTier: category.model === 'payg' ? (tier ?? '') : category.media === 'ssd' ? 'premium' : '',
          initial: initialState(category, tier, rng),
        };
        resource.shares.push(share);
        shares.push(share);
      }
    }
  });

  const disks: Disk[] = Array.from({ length: Math.max(1, Math.round(shareCount / 40)) }, (_, i) => {
    const region = rng.pick(REGIONS);
    const app = rng.pick(APPS);
    const placement: Placement = {
      subscription: rng.pick(subscriptions),
      region,
      resourceGroup: `rg-vm-${app}-${region.code}-${String(i + 1).padStart(3, '0')}`,
    };
    const name = `vm-${app}-${String(i + 1).padStart(4, '0')}-datadisk-0${rng.int(0, 3)}`;
    return {
      index: i,
      id: `/subscriptions/${placement.subscription.id}/resourceGroups/${placement.resourceGroup}/providers/Microsoft.Compute/disks/${name}`,
      name,
      placement,
      redundancy: rng.chance(1, 4) ? 'zrs' : 'lrs',
      hour: rng.int(0, 23),
      retentionDays: rng.pick([3, 5, 7]),
      ...tagFields(tagsFor(rng, app)),
    };
  });

  return { shareCount, resources, shares, disks, subscriptions };
}

/** Recommended v2 IOPS when none is set (billing-rules §2), integer arithmetic: CEILING(0.2 × GiB) = ⌈GiB / 5⌉. */
export function recommendedIops(media: Media, gib: number): number {
  return media === 'ssd'
    ? Math.min(Math.max(3000 + gib, 3000), 102400)
    : Math.min(Math.max(1000 + ceilDiv(gib, 5), 500), 50000);
}

/** Recommended v2 throughput (MiB/s): CEILING(0.1 × GiB) = ⌈GiB / 10⌉, CEILING(0.02 × GiB) = ⌈GiB / 50⌉. */
export function recommendedMibps(media: Media, gib: number): number {
  return media === 'ssd'
    ? Math.min(Math.max(100 + ceilDiv(gib, 10), 100), 10340)
    : Math.min(Math.max(60 + ceilDiv(gib, 50), 60), 5120);
}
