// Unrelated charges that fill the export up to --rows: VMs, SQL, bandwidth, App Service, Key Vault, Log Analytics,
// and Storage charges that are not Files — block blobs, tables, managed disks that are not snapshots. None of them
// carries the words Files or Snapshot(s) nor a Files/snapshot meter name, so recon classifies them 'ignored' and
// they can produce no finding. Their cost is quantity × price like every other row.
import { multiplyScaled, parseScaled, roundDiv, SCALE } from './exact.ts';
import { withTags, type Fleet, type Placement, type Region, type RowResource } from './fleet.ts';
import { guidOf, UNITS, withCsvFields, type MeterSpec, type MeterUnit } from './meters.ts';
import { Prng } from './prng.ts';
import type { Row } from './rows.ts';

type Pool = 'vm' | 'disk' | 'blob' | 'sql' | 'vault' | 'app' | 'logs';

interface Template {
  weight: number;
  pool: Pool;
  category: string;
  subcategory: string;
  name: string;
  product: string;
  unit: MeterUnit;
  price: string;
  consumedService: string;
  serviceFamily: string;
  serviceName: string;
  serviceCategory: string;
  info: string;
  /** quantity × 10^16 */
  quantity: (rng: Prng, monthDays: number) => bigint;
}

const hours = (rng: Prng) =>
  rng.chance(1, 4) ? BigInt(rng.int(1, 2399)) * (SCALE / 100n) : BigInt(rng.int(1, 24)) * SCALE;
const gigabytes = (rng: Prng) => BigInt(rng.int(1, 500000)) * (SCALE / 1000n);
const tenK = (rng: Prng) => BigInt(rng.int(1, 50000)) * (SCALE / 10000n);
// a managed disk's daily share of a month, as exports write it (6 decimals)
const diskDay = (_: Prng, monthDays: number) => roundDiv(1000000n, BigInt(monthDays)) * (SCALE / 1000000n);
const storedGb = (rng: Prng, monthDays: number) =>
  roundDiv(BigInt(rng.int(1, 2000000)) * SCALE, BigInt(monthDays) * 100n);

const vmInfo = (size: string, cpus: number) =>
  JSON.stringify({
    UsageType: 'ComputeHR',
    ImageType: 'Canonical',
    ServiceType: `Standard_${size}`,
    VMName: '',
    VMProperties: 'Microsoft.Compute/virtualMachines',
    VCPUs: cpus,
    CPUs: 0,
  });

const TEMPLATES: readonly Template[] = [
  {
    weight: 20,
    pool: 'vm',
    category: 'Virtual Machines',
    subcategory: 'Dv5 Series',
    name: 'D4s v5',
    product: 'Virtual Machines Dv5 Series - D4s v5',
    unit: UNITS.hour,
    price: '0.212',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Compute',
    serviceName: 'Virtual Machines',
    serviceCategory: 'Compute',
    info: vmInfo('D4s_v5', 4),
    quantity: hours,
  },
  {
    weight: 8,
    pool: 'vm',
    category: 'Virtual Machines',
    subcategory: 'Ev5 Series',
    name: 'E8s v5',
    product: 'Virtual Machines Ev5 Series - E8s v5',
    unit: UNITS.hour,
    price: '0.544',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Compute',
    serviceName: 'Virtual Machines',
    serviceCategory: 'Compute',
    info: vmInfo('E8s_v5', 8),
    quantity: hours,
  },
  {
    weight: 8,
    pool: 'vm',
    category: 'Bandwidth',
    subcategory: 'Rtn Preference: MGN',
    name: 'Standard Data Transfer Out',
    product: 'Rtn Preference: MGN - Standard Data Transfer Out',
    unit: UNITS.gb,
    price: '0.08',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Networking',
    serviceName: 'Bandwidth',
    serviceCategory: 'Networking',
    info: '',
    quantity: gigabytes,
  },
  {
    weight: 4,
    pool: 'vm',
    category: 'Bandwidth',
    subcategory: 'Inter-Region',
    name: 'Intra Continent Data Transfer Out',
    product: 'Bandwidth Inter-Region - Intra Continent Data Transfer Out',
    unit: UNITS.gb,
    price: '0.02',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Networking',
    serviceName: 'Bandwidth',
    serviceCategory: 'Networking',
    info: '',
    quantity: gigabytes,
  },
  {
    weight: 10,
    pool: 'disk',
    category: 'Storage',
    subcategory: 'Premium SSD Managed Disks',
    name: 'P10 LRS Disk',
    product: 'Premium SSD Managed Disks - P10 LRS',
    unit: UNITS.perMonth,
    price: '17.92',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: diskDay,
  },
  {
    weight: 4,
    pool: 'disk',
    category: 'Storage',
    subcategory: 'Standard SSD Managed Disks',
    name: 'E10 LRS Disk',
    product: 'Standard SSD Managed Disks - E10 LRS',
    unit: UNITS.perMonth,
    price: '7.68',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: diskDay,
  },
  {
    weight: 4,
    pool: 'disk',
    category: 'Storage',
    subcategory: 'Standard HDD Managed Disks',
    name: 'Disk Operations',
    product: 'Standard HDD Managed Disks - Disk Operations',
    unit: UNITS.tenK,
    price: '0.0005',
    consumedService: 'Microsoft.Compute',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: tenK,
  },
  {
    weight: 8,
    pool: 'blob',
    category: 'Storage',
    subcategory: 'Tiered Block Blob',
    name: 'Hot LRS Data Stored',
    product: 'Tiered Block Blob - Hot LRS',
    unit: UNITS.gbMonth,
    price: '0.0184',
    consumedService: 'Microsoft.Storage',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: storedGb,
  },
  {
    weight: 5,
    pool: 'blob',
    category: 'Storage',
    subcategory: 'Tiered Block Blob',
    name: 'Hot LRS Write Operations',
    product: 'Tiered Block Blob - Hot LRS - Write Operations',
    unit: UNITS.tenK,
    price: '0.05',
    consumedService: 'Microsoft.Storage',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: tenK,
  },
  {
    weight: 4,
    pool: 'blob',
    category: 'Storage',
    subcategory: 'Tiered Block Blob',
    name: 'All Other Operations',
    product: 'Tiered Block Blob - All Other Operations',
    unit: UNITS.tenK,
    price: '0.004',
    consumedService: 'Microsoft.Storage',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: tenK,
  },
  {
    weight: 2,
    pool: 'blob',
    category: 'Storage',
    subcategory: 'Tables',
    name: 'LRS Data Stored',
    product: 'Tables - LRS Data Stored',
    unit: UNITS.gbMonth,
    price: '0.045',
    consumedService: 'Microsoft.Storage',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: storedGb,
  },
  {
    weight: 2,
    pool: 'blob',
    category: 'Storage',
    subcategory: 'Tables',
    name: 'Batch Write Operations',
    product: 'Tables - Batch Write Operations',
    unit: UNITS.tenK,
    price: '0.00036',
    consumedService: 'Microsoft.Storage',
    serviceFamily: 'Storage',
    serviceName: 'Storage Accounts',
    serviceCategory: 'Storage',
    info: '',
    quantity: tenK,
  },
  {
    weight: 8,
    pool: 'sql',
    category: 'SQL Database',
    subcategory: 'Single/Elastic Pool General Purpose - Compute Gen5',
    name: 'vCore',
    product: 'SQL Database Single/Elastic Pool General Purpose - Compute Gen5 - vCore',
    unit: UNITS.hour,
    price: '0.165',
    consumedService: 'Microsoft.Sql',
    serviceFamily: 'Databases',
    serviceName: 'Azure SQL Database',
    serviceCategory: 'Databases',
    info: JSON.stringify({ UsageType: 'ComputeHR', vCores: 4 }),
    quantity: hours,
  },
  {
    weight: 3,
    pool: 'sql',
    category: 'SQL Database',
    subcategory: 'Single/Elastic Pool General Purpose - Storage',
    name: 'General Purpose Data Stored',
    product: 'SQL Database Single/Elastic Pool General Purpose - Storage - General Purpose Data Stored',
    unit: UNITS.gbMonth,
    price: '0.115',
    consumedService: 'Microsoft.Sql',
    serviceFamily: 'Databases',
    serviceName: 'Azure SQL Database',
    serviceCategory: 'Databases',
    info: '',
    quantity: storedGb,
  },
  {
    weight: 2,
    pool: 'vault',
    category: 'Key Vault',
    subcategory: 'Standard',
    name: 'Operations',
    product: 'Key Vault - Standard - Operations',
    unit: UNITS.tenK,
    price: '0.03',
    consumedService: 'Microsoft.KeyVault',
    serviceFamily: 'Security',
    serviceName: 'Key Vault',
    serviceCategory: 'Security',
    info: '',
    quantity: tenK,
  },
  {
    weight: 3,
    pool: 'app',
    category: 'Azure App Service',
    subcategory: 'Premium v3 Plan',
    name: 'P1 v3 App',
    product: 'Azure App Service Premium v3 Plan - P1 v3 App',
    unit: UNITS.hour,
    price: '0.169',
    consumedService: 'Microsoft.Web',
    serviceFamily: 'Compute',
    serviceName: 'Azure App Service',
    serviceCategory: 'Web',
    info: '',
    quantity: hours,
  },
  {
    weight: 2,
    pool: 'logs',
    category: 'Log Analytics',
    subcategory: 'Analytics Logs',
    name: 'Data Ingestion',
    product: 'Log Analytics - Analytics Logs - Data Ingestion',
    unit: UNITS.gb,
    price: '2.3',
    consumedService: 'Microsoft.OperationalInsights',
    serviceFamily: 'Management and Governance',
    serviceName: 'Log Analytics',
    serviceCategory: 'Management and Governance',
    info: '',
    quantity: gigabytes,
  },
];

const WEIGHTS = TEMPLATES.map((t) => t.weight);
const APPS = ['erp', 'crm', 'shop', 'portal', 'etl', 'bi', 'api', 'batch', 'search', 'ml'];

interface PoolSpec {
  size: (shares: number) => number;
  make: (rng: Prng, i: number, placement: Placement) => Omit<RowResource, 'tagsField' | 'tagsJsonField' | 'placement'>;
}

const POOLS: Record<Pool, PoolSpec> = {
  vm: {
    size: (n) => Math.max(10, Math.ceil(n / 8)),
    make: (rng, i) => {
      const name = `vm-${rng.pick(APPS)}-${String(i + 1).padStart(5, '0')}`;
      return {
        id: `providers/Microsoft.Compute/virtualMachines/${name}`,
        name,
        focusType: 'Virtual machine',
        armType: 'microsoft.compute/virtualmachines',
      };
    },
  },
  disk: {
    size: (n) => Math.max(10, Math.ceil(n / 8)),
    make: (rng, i) => {
      const name = `vm-${rng.pick(APPS)}-${String(i + 1).padStart(5, '0')}-osdisk`;
      return {
        id: `providers/Microsoft.Compute/disks/${name}`,
        name,
        focusType: 'Disk',
        armType: 'microsoft.compute/disks',
      };
    },
  },
  blob: {
    size: (n) => Math.max(5, Math.ceil(n / 20)),
    make: (rng, i) => {
      const name = `stblob${rng.pick(APPS)}${String(i + 1).padStart(6, '0')}`;
      return {
        id: `providers/Microsoft.Storage/storageAccounts/${name}`,
        name,
        focusType: 'Storage account',
        armType: 'microsoft.storage/storageaccounts',
      };
    },
  },
  sql: {
    size: (n) => Math.max(3, Math.ceil(n / 40)),
    make: (rng, i) => {
      const app = rng.pick(APPS);
      const name = `sqldb-${app}-${String(i + 1).padStart(4, '0')}`;
      return {
        id: `providers/Microsoft.Sql/servers/sql-${app}-${String(i + 1).padStart(4, '0')}/databases/${name}`,
        name,
        focusType: 'SQL database',
        armType: 'microsoft.sql/servers/databases',
      };
    },
  },
  vault: {
    size: (n) => Math.max(2, Math.ceil(n / 200)),
    make: (rng, i) => {
      const name = `kv-${rng.pick(APPS)}-${String(i + 1).padStart(3, '0')}`;
      return {
        id: `providers/Microsoft.KeyVault/vaults/${name}`,
        name,
        focusType: 'Key vault',
        armType: 'microsoft.keyvault/vaults',
      };
    },
  },
  app: {
    size: (n) => Math.max(2, Math.ceil(n / 100)),
    make: (rng, i) => {
      const name = `asp-${rng.pick(APPS)}-${String(i + 1).padStart(3, '0')}`;
      return {
        id: `providers/Microsoft.Web/serverFarms/${name}`,
        name,
        focusType: 'App Service plan',
        armType: 'microsoft.web/serverfarms',
      };
    },
  },
  logs: {
    size: (n) => Math.max(1, Math.ceil(n / 500)),
    make: (rng, i) => {
      const name = `log-${rng.pick(APPS)}-${String(i + 1).padStart(3, '0')}`;
      return {
        id: `providers/Microsoft.OperationalInsights/workspaces/${name}`,
        name,
        focusType: 'Log Analytics workspace',
        armType: 'microsoft.operationalinsights/workspaces',
      };
    },
  },
};

export type NoisePools = Record<Pool, RowResource[]>;

/** The unrelated resources, from the fleet's subscriptions (the same for every month of a fleet). */
export function buildNoisePools(fleet: Fleet): NoisePools {
  const rng = new Prng(0x0401_5e00, fleet.shareCount);
  const regions: Region[] = [...new Set(fleet.resources.map((r) => r.placement.region))];
  const pools = {} as NoisePools;
  for (const pool of Object.keys(POOLS) as Pool[]) {
    const spec = POOLS[pool];
    pools[pool] = Array.from({ length: spec.size(fleet.shareCount) }, (_, i) => {
      const app = rng.pick(APPS);
      const region = rng.pick(regions);
      const placement: Placement = {
        subscription: rng.pick(fleet.subscriptions),
        region,
        resourceGroup: `rg-${app}-${region.code}-${String(rng.int(1, 40)).padStart(2, '0')}`,
      };
      const made = spec.make(rng, i, placement);
      return withTags(
        {
          ...made,
          id: `/subscriptions/${placement.subscription.id}/resourceGroups/${placement.resourceGroup}/${made.id}`,
          placement,
        },
        (
          [
            ['env', rng.pick(['prod', 'prod', 'test'])],
            ['CostCenter', String(rng.int(1000, 9999))],
            ['application', app],
            ['owner', `${app}-team@contoso.example`],
          ] as const
        ).slice(0, rng.int(0, 4)),
      );
    });
  }
  return pools;
}

const meterCache = new Map<string, MeterSpec>();

function noiseMeter(template: Template, region: Region): MeterSpec {
  const id = `${template.name}|${template.subcategory}|${region.name}`;
  let meter = meterCache.get(id);
  if (!meter) {
    meter = withCsvFields({
      key: null,
      category: template.category,
      subcategory: template.subcategory,
      name: template.name,
      product: `${template.product} - ${region.display}`,
      unit: template.unit.unit,
      blockSize: template.unit.blockSize,
      distinctUnit: template.unit.distinctUnit,
      price: template.price,
      price16: parseScaled(template.price),
      meterId: guidOf(`meter|${template.subcategory}|${template.name}|${region.display}`),
      productId: `DZH318Z0${guidOf(`product|${template.product}`).slice(0, 4).toUpperCase()}/00${guidOf(template.name).slice(0, 2).toUpperCase()}`,
      consumedService: template.consumedService,
      serviceFamily: template.serviceFamily,
      serviceName: template.serviceName,
      serviceCategory: template.serviceCategory,
      additionalInfo: template.info,
      skuDetails: template.info === '' ? '{}' : template.info,
    });
    meterCache.set(id, meter);
  }
  return meter;
}

/** Noise rows of one usage day, drawn one at a time. */
export class NoiseSource {
  private readonly rng: Prng;

  constructor(
    private readonly pools: NoisePools,
    private readonly day: number,
    private readonly monthDays: number,
    seed: number,
    monthKey: number,
  ) {
    this.rng = new Prng(seed, monthKey, 4, day);
  }

  next(): Row {
    const template = TEMPLATES[this.rng.weighted(WEIGHTS)] ?? TEMPLATES[0];
    if (!template) throw new Error('no noise templates');
    const resource = this.rng.pick(this.pools[template.pool]);
    const meter = noiseMeter(template, resource.placement.region);
    const quantity16 = template.quantity(this.rng, this.monthDays);
    return { day: this.day, resource, meter, quantity16, cost16: multiplyScaled(quantity16, meter.price16) };
  }
}
