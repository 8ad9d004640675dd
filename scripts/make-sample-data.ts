// Generates sample-data/: one realistic month (October 2026, 31 days) of an EA enrollment's Azure Files and disk
// snapshot charges, the inventory that explains them, and pay-as-you-go transaction counts — with a known set of
// billing errors planted in the exports so `npm start` has something true to find. Deterministic: run it again
// and the files are byte-identical. Usage: npx tsx scripts/make-sample-data.ts
//
// The billed quantities are integrated here from the same share timelines the inventory files describe, with a
// deliberately plain, independent method (per day, per state segment), then the planted errors are applied.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';

const ROOT = join(import.meta.dirname, '..', 'sample-data');
const MONTH_DAYS = 31;
const SUB = '7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b';
const RG = 'rg-files-prod';
const GIB = 1024 ** 3;

const account = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/${name}`;
const share = (accountName: string, name: string) => `${account(accountName)}/fileServices/default/shares/${name}`;
const fileShare = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.FileShares/fileShares/${name}`;
const snapshotId = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/snapshots/${name}`;

type Model = 'v1' | 'v2' | 'payg';
interface ShareState {
  at: string; // observed_at, ISO UTC
  gib: number;
  iops?: number;
  mibps?: number;
  usedGib: number;
  snapGib: number;
  metadataGib?: number;
  deletedAt?: string;
  retentionDays?: number;
}
interface Share {
  id: string;
  billing: string;
  model: Model;
  media: 'ssd' | 'hdd';
  redundancy: 'lrs' | 'zrs' | 'grs';
  tier: string;
  states: ShareState[];
}

const START = '2026-10-01T00:00:00Z';
const END = '2026-11-01T00:00:00Z';

const SHARES: Share[] = [
  {
    id: share('stv2ssdprod', 'finance'),
    billing: account('stv2ssdprod'),
    model: 'v2',
    media: 'ssd',
    redundancy: 'lrs',
    tier: 'premium',
    // IOPS and throughput not set: Azure's recommendation applies (4,024 IOPS, 203 MiB/s for 1,024 GiB).
    states: [{ at: START, gib: 1024, usedGib: 900, snapGib: 200 }],
  },
  {
    id: share('stv2ssdprod', 'engineering'),
    billing: account('stv2ssdprod'),
    model: 'v2',
    media: 'ssd',
    redundancy: 'lrs',
    tier: 'premium',
    states: [
      { at: START, gib: 2048, iops: 6000, mibps: 300, usedGib: 1500, snapGib: 0 },
      // Resized mid-day; IOPS raised, then lowered 12 hours later (a downgrade Azure allows only after 24 hours).
      { at: '2026-10-10T12:00:00Z', gib: 4096, iops: 8000, mibps: 400, usedGib: 1500, snapGib: 0 },
      { at: '2026-10-11T00:00:00Z', gib: 4096, iops: 7000, mibps: 400, usedGib: 1600, snapGib: 0 },
    ],
  },
  {
    id: share('stv2ssdprod', 'scratch'),
    billing: account('stv2ssdprod'),
    model: 'v2',
    media: 'ssd',
    redundancy: 'lrs',
    tier: 'premium',
    states: [
      { at: START, gib: 100, iops: 3000, mibps: 100, usedGib: 50, snapGib: 0 },
      // Deleted with a 7-day soft-delete retention: 50 GiB billed on Soft-Deleted Usage until 2026-10-27 06:00.
      {
        at: '2026-10-20T06:00:00Z',
        gib: 100,
        iops: 3000,
        mibps: 100,
        usedGib: 50,
        snapGib: 0,
        deletedAt: '2026-10-20T06:00:00Z',
        retentionDays: 7,
      },
    ],
  },
  {
    id: share('stv1premium', 'archive'),
    billing: account('stv1premium'),
    model: 'v1',
    media: 'ssd',
    redundancy: 'zrs',
    tier: 'premium',
    states: [{ at: START, gib: 1024, usedGib: 700, snapGib: 10 }],
  },
  {
    id: share('stv1premium', 'legal'),
    billing: account('stv1premium'),
    model: 'v1',
    media: 'ssd',
    redundancy: 'zrs',
    tier: 'premium',
    // Shrunk below its used size: billed on the 650 GiB used.
    states: [{ at: START, gib: 500, usedGib: 650, snapGib: 0 }],
  },
  {
    id: share('stpaygstd', 'teams'),
    billing: account('stpaygstd'),
    model: 'payg',
    media: 'hdd',
    redundancy: 'grs',
    tier: 'hot',
    states: [{ at: START, gib: 102400, usedGib: 300, snapGib: 20, metadataGib: 1 }],
  },
  {
    id: fileShare('media'),
    billing: fileShare('media'),
    model: 'v2',
    media: 'ssd',
    redundancy: 'zrs',
    tier: 'premium',
    states: [{ at: START, gib: 512, iops: 3512, mibps: 152, usedGib: 400, snapGib: 0 }],
  },
];

const DISK_SNAPSHOT = {
  id: snapshotId('snap-sqldata-20260928'),
  sourceDisk: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/disks/sqldata`,
  usedGib: 10,
  createdAt: '2026-09-28T02:00:00Z',
};

// ---- expected quantities per billed resource × meter × day (the plain, independent integration) ----

type MeterName =
  | 'v2.provisioned_storage'
  | 'v2.provisioned_iops'
  | 'v2.provisioned_throughput'
  | 'v2.overflow_snapshot'
  | 'v2.soft_deleted'
  | 'v1.provisioned'
  | 'v1.snapshots'
  | 'payg.data_stored'
  | 'payg.metadata'
  | 'disk.incremental_snapshot';

const seconds = (iso: string) => Date.parse(iso) / 1000;
const dayStart = (day: number) => seconds(START) + (day - 1) * 86400;
const key = (resource: string, meter: string, day: number) => `${resource}|${meter}|${day}`;

function addQuantity(map: Map<string, Decimal>, resource: string, meter: MeterName, day: number, q: Decimal): void {
  if (q.isZero()) return;
  const k = key(resource, meter, day);
  map.set(k, (map.get(k) ?? new Decimal(0)).plus(q));
}

function recommendedIops(gib: number): number {
  return Math.min(Math.max(3000 + gib, 3000), 102400);
}
function recommendedMibps(gib: number): number {
  return Math.min(Math.max(100 + Math.ceil(gib / 10), 100), 10340);
}

function expected(): Map<string, Decimal> {
  const map = new Map<string, Decimal>();
  const hourly = (gib: number, s: number) => new Decimal(gib).times(s).div(3600);
  const monthly = (gib: number, s: number) => new Decimal(gib).times(s).div(86400 * MONTH_DAYS);
  for (const s of SHARES) {
    s.states.forEach((state, index) => {
      const from = seconds(state.at);
      const to = seconds(s.states[index + 1]?.at ?? END);
      for (let day = 1; day <= MONTH_DAYS; day++) {
        const dayFrom = dayStart(day);
        const dayTo = dayFrom + 86400;
        if (state.deletedAt !== undefined) {
          // Soft-deleted from deletedAt for retentionDays, then purged (nothing billed).
          const purge = seconds(state.deletedAt) + (state.retentionDays ?? 0) * 86400;
          const overlap = Math.max(0, Math.min(dayTo, purge) - Math.max(dayFrom, seconds(state.deletedAt)));
          if (s.model === 'v2') addQuantity(map, s.billing, 'v2.soft_deleted', day, hourly(state.usedGib, overlap));
          if (s.model === 'v1') addQuantity(map, s.billing, 'v1.snapshots', day, monthly(state.usedGib, overlap));
          continue;
        }
        const overlap = Math.max(0, Math.min(dayTo, to) - Math.max(dayFrom, from));
        if (overlap === 0) continue;
        if (s.model === 'v2') {
          addQuantity(map, s.billing, 'v2.provisioned_storage', day, hourly(state.gib, overlap));
          addQuantity(
            map,
            s.billing,
            'v2.provisioned_iops',
            day,
            hourly(state.iops ?? recommendedIops(state.gib), overlap),
          );
          addQuantity(
            map,
            s.billing,
            'v2.provisioned_throughput',
            day,
            hourly(state.mibps ?? recommendedMibps(state.gib), overlap),
          );
          const overflow = Math.max(state.usedGib + state.snapGib - state.gib, 0);
          addQuantity(map, s.billing, 'v2.overflow_snapshot', day, hourly(overflow, overlap));
        } else if (s.model === 'v1') {
          addQuantity(map, s.billing, 'v1.provisioned', day, monthly(Math.max(state.gib, state.usedGib), overlap));
          addQuantity(map, s.billing, 'v1.snapshots', day, monthly(state.snapGib, overlap));
        } else {
          addQuantity(map, s.billing, 'payg.data_stored', day, monthly(state.usedGib + state.snapGib, overlap));
          addQuantity(map, s.billing, 'payg.metadata', day, monthly(state.metadataGib ?? 0, overlap));
        }
      }
    });
  }
  for (let day = 1; day <= MONTH_DAYS; day++) {
    addQuantity(
      map,
      DISK_SNAPSHOT.id,
      'disk.incremental_snapshot',
      day,
      new Decimal(DISK_SNAPSHOT.usedGib).div(MONTH_DAYS),
    );
  }
  return map;
}

// ---- how each meter appears in an EA export ----

interface MeterRow {
  subCategory: string;
  product: string;
  name: string;
  unit: string;
  price: string; // EUR per unit
  meterId: string;
  service: string;
}

function meterFor(resource: string, meter: string): MeterRow {
  const lower = resource.toLowerCase();
  const sku = lower.includes('stv1premium')
    ? 'ZRS'
    : lower.includes('fileshares')
      ? 'ZRS'
      : lower.includes('stpaygstd')
        ? 'GRS'
        : 'LRS';
  const v2 = (name: string, unit: string, price: string, id: string): MeterRow => ({
    subCategory: 'Azure Files Provisioned v2',
    product: `Azure Files Provisioned v2 - SSD ${sku} - ${name}`,
    name: `SSD ${sku} ${name}`,
    unit,
    price,
    meterId: id,
    service: lower.includes('fileshares') ? 'Microsoft.FileShares' : 'Microsoft.Storage',
  });
  switch (meter) {
    case 'v2.provisioned_storage':
      return v2(
        'Provisioned Storage',
        '1 GiB/Hour',
        '0.000137',
        sku === 'LRS' ? 'a1c2e3f4-0001-4b6a-9c1d-000000000001' : 'a1c2e3f4-0001-4b6a-9c1d-000000000011',
      );
    case 'v2.provisioned_iops':
      return v2(
        'Provisioned IOPS',
        '1/Hour',
        '0.0000370',
        sku === 'LRS' ? 'a1c2e3f4-0001-4b6a-9c1d-000000000002' : 'a1c2e3f4-0001-4b6a-9c1d-000000000012',
      );
    case 'v2.provisioned_throughput':
      return v2(
        'Provisioned Throughput MiBPS',
        '1/Hour',
        '0.0000540',
        sku === 'LRS' ? 'a1c2e3f4-0001-4b6a-9c1d-000000000003' : 'a1c2e3f4-0001-4b6a-9c1d-000000000013',
      );
    case 'v2.overflow_snapshot':
      return v2('Overflow Snapshot Usage', '1 GiB/Hour', '0.000137', 'a1c2e3f4-0001-4b6a-9c1d-000000000004');
    case 'v2.soft_deleted':
      return v2('Soft-Deleted Usage', '1 GiB/Hour', '0.000137', 'a1c2e3f4-0001-4b6a-9c1d-000000000005');
    case 'v1.provisioned':
      return {
        subCategory: 'Premium Files',
        product: 'Premium Files - Premium ZRS',
        name: 'Premium ZRS Provisioned',
        unit: '1 GB/Month',
        price: '0.2112',
        meterId: 'b2d3e4f5-0002-4c7b-8d2e-000000000001',
        service: 'Microsoft.Storage',
      };
    case 'v1.snapshots':
      return {
        subCategory: 'Premium Files',
        product: 'Premium Files - Premium ZRS',
        name: 'Premium ZRS Snapshots',
        unit: '1 GB/Month',
        price: '0.1584',
        meterId: 'b2d3e4f5-0002-4c7b-8d2e-000000000002',
        service: 'Microsoft.Storage',
      };
    case 'payg.data_stored':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'Hot GRS Data Stored',
        unit: '1 GB/Month',
        price: '0.0458',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000001',
        service: 'Microsoft.Storage',
      };
    case 'payg.data_stored.cool':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Cool GRS',
        name: 'Cool GRS Data Stored',
        unit: '1 GB/Month',
        price: '0.0250',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000009',
        service: 'Microsoft.Storage',
      };
    case 'payg.metadata':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'GRS Metadata', // one Metadata meter for hot and cool: the tier is only in the product text
        unit: '1 GB/Month',
        price: '0.0458',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000002',
        service: 'Microsoft.Storage',
      };
    case 'payg.write_ops':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'Hot GRS Write Operations',
        unit: '10K',
        price: '0.1365',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000003',
        service: 'Microsoft.Storage',
      };
    case 'payg.read_ops':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'Hot Read Operations', // no redundancy in the real name
        unit: '10K',
        price: '0.0109',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000004',
        service: 'Microsoft.Storage',
      };
    case 'payg.list_ops':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'Hot GRS List Operations',
        unit: '10K',
        price: '0.0683',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-000000000005',
        service: 'Microsoft.Storage',
      };
    case 'payg.unknown':
      return {
        subCategory: 'Files v2',
        product: 'Files v2 - Hot GRS',
        name: 'Hot GRS Vault Operations',
        unit: '10K',
        price: '0.0500',
        meterId: 'c3e4f5a6-0003-4d8c-9e3f-0000000000ff',
        service: 'Microsoft.Storage',
      };
    case 'disk.incremental_snapshot':
      return {
        subCategory: 'Standard HDD Managed Disks',
        product: 'Standard HDD Managed Disks - Snapshots LRS',
        name: 'LRS Snapshots',
        unit: '1 GB/Month',
        price: '0.05',
        meterId: 'd4f5a6b7-0004-4e9d-8f4a-000000000001',
        service: 'Microsoft.Compute',
      };
    default:
      throw new Error(`no meter row for ${meter}`);
  }
}

// ---- transactions (pay-as-you-go): a deterministic working-hours pattern ----

interface TransactionRow {
  hour: string;
  api: string;
  count: number;
}
function transactions(): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (let day = 1; day <= MONTH_DAYS; day++) {
    for (const hour of [8, 12, 16]) {
      const at = new Date((dayStart(day) + hour * 3600) * 1000).toISOString().replace('.000Z', 'Z');
      rows.push({ hour: at, api: 'PutRange', count: 12000 + day * 37 + hour });
      rows.push({ hour: at, api: 'Read', count: 45000 + day * 11 });
      rows.push({ hour: at, api: 'QueryDirectory', count: 3000 + hour });
      rows.push({ hour: at, api: 'ListFiles', count: 800 + day });
      rows.push({ hour: at, api: 'DeleteFile', count: 40 });
    }
  }
  return rows;
}

const BUCKET: Record<string, string> = {
  PutRange: 'payg.write_ops',
  Read: 'payg.read_ops',
  QueryDirectory: 'payg.read_ops',
  ListFiles: 'payg.list_ops',
};

// ---- the EA export (the real-file header variant with Cost/Product/BillingCurrency/InvoiceSection) ----

const EA_HEADER =
  'BillingAccountId,BillingAccountName,BillingPeriodStartDate,BillingPeriodEndDate,BillingProfileId,BillingProfileName,AccountOwnerId,AccountName,SubscriptionId,SubscriptionName,Date,Product,PartNumber,MeterId,ServiceFamily,MeterCategory,MeterSubCategory,MeterRegion,MeterName,Quantity,EffectivePrice,Cost,UnitPrice,BillingCurrency,ResourceLocation,AvailabilityZone,ConsumedService,ResourceId,ResourceName,ServiceInfo1,ServiceInfo2,AdditionalInfo,Tags,InvoiceSectionId,InvoiceSection,CostCenter,UnitOfMeasure,ResourceGroup,ReservationId,ReservationName,ProductOrderId,ProductOrderName,OfferId,IsAzureCreditEligible,Term,PublisherName,PlanName,ChargeType,Frequency,PublisherType,PayGPrice,PricingModel,CostAllocationRuleName,benefitId,benefitName'.split(
    ',',
  );

interface BilledRow {
  day: number;
  resource: string;
  meter: string; // meter key, or a pseudo key for planted wrong/unknown meters
  quantity: Decimal;
  chargeType?: string;
  costOverride?: Decimal;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function mmddyyyy(day: number): string {
  return `10/${String(day).padStart(2, '0')}/2026`;
}

function eaLine(row: BilledRow): string {
  const meter = meterFor(row.resource, row.meter);
  const quantity = row.quantity.toDecimalPlaces(16);
  const cost = row.costOverride ?? quantity.times(meter.price).toDecimalPlaces(16);
  const name = row.resource.split('/').at(-1) ?? '';
  const values: Record<string, string> = {
    BillingAccountId: '8611537',
    BillingAccountName: 'Contoso Ltd (EA)',
    BillingPeriodStartDate: '10/01/2026',
    BillingPeriodEndDate: '10/31/2026',
    BillingProfileId: '8611537',
    BillingProfileName: 'Contoso Ltd (EA)',
    AccountOwnerId: 'finops@contoso.example',
    AccountName: 'Contoso Platform',
    SubscriptionId: SUB,
    SubscriptionName: 'contoso-files-prod',
    Date: mmddyyyy(row.day),
    Product: meter.product,
    MeterId: meter.meterId,
    ServiceFamily: meter.service === 'Microsoft.Compute' ? 'Compute' : 'Storage',
    MeterCategory: meter.service === 'Microsoft.Compute' ? 'Storage' : 'Storage',
    MeterSubCategory: meter.subCategory,
    MeterRegion: 'EU West',
    MeterName: meter.name,
    Quantity: quantity.toFixed(),
    EffectivePrice: meter.price,
    Cost: cost.toFixed(),
    UnitPrice: meter.price,
    BillingCurrency: 'EUR',
    ResourceLocation: 'westeurope',
    ConsumedService: meter.service,
    ResourceId: row.resource,
    ResourceName: name,
    AdditionalInfo: '',
    Tags: '"CostCenter": "4711","env": "prod"',
    InvoiceSectionId: 'IS-001',
    InvoiceSection: 'Platform',
    CostCenter: '4711',
    UnitOfMeasure: meter.unit,
    ResourceGroup: RG,
    OfferId: 'MS-AZR-0017P',
    IsAzureCreditEligible: 'True',
    PublisherName: 'Microsoft',
    ChargeType: row.chargeType ?? 'Usage',
    Frequency: 'UsageBased',
    PublisherType: 'Azure',
    PayGPrice: meter.price,
    PricingModel: 'OnDemand',
  };
  return EA_HEADER.map((column) => csvField(values[column] ?? '')).join(',');
}

function billedRows(lastDay: number): BilledRow[] {
  const rows: BilledRow[] = [];
  for (const [k, quantity] of expected()) {
    const [resource = '', meter = '', dayText = ''] = k.split('|');
    const day = Number(dayText);
    if (day > lastDay) continue;
    rows.push({ day, resource, meter, quantity });
  }
  const txByDay = new Map<string, Decimal>();
  for (const tx of transactions()) {
    const bucket = BUCKET[tx.api];
    if (bucket === undefined) continue; // DeleteFile: the delete category has no meter
    const day = Number(tx.hour.slice(8, 10));
    const k = `${day}|${bucket}`;
    txByDay.set(k, (txByDay.get(k) ?? new Decimal(0)).plus(new Decimal(tx.count).div(10000)));
  }
  for (const [k, quantity] of txByDay) {
    const [dayText = '', meter = ''] = k.split('|');
    if (Number(dayText) <= lastDay)
      rows.push({ day: Number(dayText), resource: account('stpaygstd'), meter, quantity });
  }
  return plantErrors(rows, lastDay);
}

/** The billing errors the sample month carries. Each one is listed in sample-data/README.md. */
function plantErrors(rows: BilledRow[], lastDay: number): BilledRow[] {
  const find = (resource: string, meter: string, day: number) =>
    rows.find((r) => r.resource === resource && r.meter === meter && r.day === day);
  const v2 = account('stv2ssdprod');
  const v1 = account('stv1premium');
  const payg = account('stpaygstd');
  const out = [...rows];
  const set = (resource: string, meter: string, day: number, change: (row: BilledRow) => void) => {
    const row = find(resource, meter, day);
    if (row && day <= lastDay) change(row);
  };
  // 1. The resize of 'engineering' at 12:00 on 10 Oct billed from midnight: 2048 GiB × 12 h too much.
  set(v2, 'v2.provisioned_storage', 10, (r) => (r.quantity = r.quantity.plus(2048 * 12)));
  // 2. v1 provisioned capacity on 7 Oct billed in hourly units instead of monthly units (× 24 × 31).
  set(v1, 'v1.provisioned', 7, (r) => (r.quantity = r.quantity.times(24 * 31)));
  // 3. Pay-as-you-go data stored on 1–3 Oct billed as if October had 30 days.
  for (const day of [1, 2, 3]) set(payg, 'payg.data_stored', day, (r) => (r.quantity = r.quantity.times(31).div(30)));
  // 4. The IOPS line of the v2 account is missing on 15 Oct.
  const missing = find(v2, 'v2.provisioned_iops', 15);
  // 5. Soft-deleted usage of 'scratch' billed for whole days after its retention ended (27 Oct 06:00).
  set(v2, 'v2.soft_deleted', 27, (r) => (r.quantity = new Decimal(50 * 24)));
  if (lastDay >= 28) out.push({ day: 28, resource: v2, meter: 'v2.soft_deleted', quantity: new Decimal(50 * 24) });
  // 6. The FileShares share 'media' provisioned storage billed twice on 12 Oct (the same line twice).
  const duplicate = find(fileShare('media'), 'v2.provisioned_storage', 12);
  if (duplicate) out.push({ ...duplicate });
  // 7. The disk snapshot's cost on 20 Oct does not equal quantity × price.
  set(DISK_SNAPSHOT.id, 'disk.incremental_snapshot', 20, (r) => (r.costOverride = new Decimal('0.0200000000000000')));
  // 8. A Files meter the catalog does not know.
  if (lastDay >= 5) out.push({ day: 5, resource: payg, meter: 'payg.unknown', quantity: new Decimal('0.42') });
  // 9. Hot data stored billed on the cool meter on 22 Oct.
  set(payg, 'payg.data_stored', 22, (r) => (r.meter = 'payg.data_stored.cool'));
  // 10. A double charge on 5 Oct for the v1 account, refunded the same day: nets to zero, no finding.
  const refunded = find(v1, 'v1.provisioned', 5);
  if (refunded) {
    out.push({ ...refunded });
    out.push({ ...refunded, quantity: refunded.quantity.negated(), chargeType: 'Refund' });
  }
  // 11. An account the inventory does not cover: its charges are unverifiable, not unexpected.
  for (let day = 1; day <= lastDay; day++) {
    out.push({
      day,
      resource: account('stlegacyarchive'),
      meter: 'payg.data_stored',
      quantity: new Decimal(2048).div(31),
    });
  }
  return out
    .filter((row) => row !== missing)
    .sort((a, b) => a.day - b.day || a.resource.localeCompare(b.resource) || a.meter.localeCompare(b.meter));
}

// ---- files ----

async function writeDelivery(runId: string, submitted: string, lastDay: number, restate: boolean): Promise<void> {
  const folder = join('recon-files-daily', '20261001-20261031', runId);
  const rows = billedRows(lastDay);
  if (restate) {
    // The mid-month delivery had finance's overflow on 3 Oct wrong; the final delivery restates it.
    const row = rows.find((r) => r.meter === 'v2.overflow_snapshot' && r.day === 3);
    if (row) row.quantity = row.quantity.plus(24);
  }
  const csv = `\ufeff${[EA_HEADER.join(','), ...rows.map(eaLine)].join('\r\n')}\r\n`;
  const blobName = `exports/${folder}/part_0_0001.csv`.replace(/\\/g, '/');
  const bytes = Buffer.byteLength(csv);
  const manifest = {
    manifestVersion: '2024-04-01',
    byteCount: bytes,
    blobCount: 1,
    dataRowCount: rows.length,
    exportConfig: {
      exportName: 'recon-files-daily',
      resourceId:
        '/providers/Microsoft.Billing/billingAccounts/8611537/providers/Microsoft.CostManagement/exports/recon-files-daily',
      dataVersion: '2024-08-01',
      apiVersion: '2025-03-01',
      type: 'ActualCost',
      timeFrame: 'MonthToDate',
      granularity: 'Daily',
    },
    deliveryConfig: {
      partitionData: true,
      dataOverwriteBehavior: 'CreateNewReport',
      fileFormat: 'Csv',
      compressionMode: 'None',
      containerUri: `/subscriptions/${SUB}/resourceGroups/rg-finops/providers/Microsoft.Storage/storageAccounts/stfinopsexports`,
      rootFolderPath: 'exports',
    },
    runInfo: {
      executionType: 'Scheduled',
      submittedTime: submitted,
      runId,
      startDate: '2026-10-01T00:00:00',
      endDate: `2026-10-${String(lastDay).padStart(2, '0')}T00:00:00Z`,
    },
    blobs: [{ blobName, byteCount: bytes, dataRowCount: rows.length }],
  };
  const dir = join(ROOT, 'exports', folder);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'part_0_0001.csv'), csv);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function writeInventory(): Promise<void> {
  const header =
    'observed_at,share_resource_id,billing_resource_id,billing_model,media_tier,redundancy,access_tier,provisioned_gib,provisioned_iops,provisioned_mibps,used_bytes,snapshot_differential_bytes,metadata_bytes,is_deleted,deleted_at,retention_days';
  const lines = [header];
  for (const s of SHARES) {
    const observations = [...s.states, { ...(s.states.at(-1) as ShareState), at: END }];
    for (const state of observations) {
      const billing = s.id.includes('/fileServices/') ? '' : s.billing;
      lines.push(
        [
          state.at,
          s.id,
          billing,
          s.model,
          s.media,
          s.redundancy,
          s.tier,
          state.gib,
          state.iops ?? '',
          state.mibps ?? '',
          state.usedGib * GIB,
          state.snapGib * GIB,
          state.metadataGib === undefined ? '' : state.metadataGib * GIB,
          state.deletedAt ? 'true' : 'false',
          state.deletedAt ?? '',
          state.retentionDays ?? '',
        ].join(','),
      );
    }
  }
  const snapshots = ['observed_at,snapshot_resource_id,source_disk_id,redundancy,used_bytes,created_at,deleted_at'];
  for (const at of [START, '2026-10-15T00:00:00Z', END]) {
    snapshots.push(
      [
        at,
        DISK_SNAPSHOT.id,
        DISK_SNAPSHOT.sourceDisk,
        'lrs',
        DISK_SNAPSHOT.usedGib * GIB,
        DISK_SNAPSHOT.createdAt,
        '',
      ].join(','),
    );
  }
  const dir = join(ROOT, 'inventory');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'share_state.csv'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'disk_snapshot.csv'), `${snapshots.join('\n')}\n`);
  const tx = [
    'hour,billing_resource_id,api_name,count',
    ...transactions().map((t) => `${t.hour},${account('stpaygstd')},${t.api},${t.count}`),
  ];
  await mkdir(join(ROOT, 'transactions'), { recursive: true });
  await writeFile(join(ROOT, 'transactions', 'transactions.csv'), `${tx.join('\n')}\n`);
}

await rm(join(ROOT, 'exports'), { recursive: true, force: true });
await rm(join(ROOT, 'inventory'), { recursive: true, force: true });
await rm(join(ROOT, 'transactions'), { recursive: true, force: true });
// Two month-to-date deliveries of October: the 16 Oct run (1–15 Oct) and the final run after month end.
await writeDelivery('5b0c6f1e-2a44-4c1f-9d0e-7f3a1b2c4d01', '2026-10-16T04:12:09.1234567Z', 15, true);
await writeDelivery('9e8d7c6b-5a49-4838-a726-15e4d3c2b102', '2026-11-03T05:01:44.7654321Z', 31, false);
await writeInventory();
process.stdout.write(`sample data written to ${ROOT}\n`);
