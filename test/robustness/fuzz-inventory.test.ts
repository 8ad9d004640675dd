// Fuzzing the inventory readers (issue 7): arbitrary JSON documents, arbitrary and damaged bytes, real Azure JSON
// fixtures with fields deleted and retyped, canonical CSV headers in any order and case, and transactions.csv rows
// of every kind. Whatever the input, an ingest either reports records that add up (each bad record quarantined once,
// with a reason) or stops with an InputError naming the file: never a TypeError, an SqlError or a silent drop.
// An ingest costs ~0.15 s however small, so each run ingests several generated files at once and the run counts
// stay low (the file takes ~15 s of CPU); RECON_FUZZ_SCALE=10 runs ten times as many.
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiNameBuckets, bucketOfApiName } from '../../src/billing/transaction-buckets.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { ingestInventory, ingestTransactions, type InventoryReport } from '../../src/inventory/index.ts';
import { FIXTURES as INVENTORY_FIXTURES } from '../inventory/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const SCALE = Math.max(1, Math.trunc(Number(process.env.RECON_FUZZ_SCALE ?? '1')));
const runs = (n: number): number => n * SCALE;

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-files';
const ACCOUNT = `${SUB}/providers/Microsoft.Storage/storageAccounts/sav2ssd`;
const ROBUSTNESS_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'robustness', 'inventory');

// ---------------------------------------------------------------------------------------------------------------
// JSON with numbers JavaScript cannot hold (9223372036854775808, 1e400, -0): a raw token written as is.

class RawJson {
  constructor(readonly text: string) {}
}
type Json = null | boolean | number | string | RawJson | Json[] | { [key: string]: Json };

function toJson(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Values a field may wrongly hold: other JSON types, placeholders, numbers beyond BIGINT, hostile text. */
const chaos: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '1024GiB',
    '-5',
    '1.5',
    'infinity',
    'epoch',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.9999999Z',
    '2024-02-30T00:00:00Z',
    '2024-03-01T00:00:00Z',
    'Sat, 26 Oct 2024 01:50:50 GMT',
    'PremiumV2_LRS',
    'Premium_XRS',
    'UltraHot',
    'yes',
    'true',
    'NFS,SMB',
    "'; drop table share_observation; --",
    '\u0000',
    `${ACCOUNT}/fileServices/default/shares/x_01DA`,
  ),
  fc.constantFrom(
    ...['9223372036854775807', '9223372036854775808', '-9223372036854775809', '1e30', '1E3', '-0', '1e400', '0.0'].map(
      (text) => new RawJson(text),
    ),
  ),
  fc.constant<Json>({}),
  fc.constant<Json>([]),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

// Values at the edges of what a field of the same type may hold: where overflows and placeholders hide.
const EDGE_NUMBERS: Json[] = [
  new RawJson('9223372036854775807'),
  new RawJson('9223372036854775808'),
  2147483648,
  3000000000,
  new RawJson('1e30'),
  -1,
  0,
  1.5,
];
const EDGE_TIMES: Json[] = ['infinity', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2024-02-30T00:00:00Z', ''];
const isNumber = (value: Json): boolean => typeof value === 'number' || value instanceof RawJson;
const isTime = (value: Json): boolean => typeof value === 'string' && /^\d{4}-\d\d-\d\d|GMT$/.test(value);

/** An edge value of the same kind as a number or time field (the places an edge mutation aims at). */
function edgeOf(current: Json, pick: number): Json {
  const edges = isNumber(current) ? EDGE_NUMBERS : EDGE_TIMES;
  return edges[pick % edges.length] ?? null;
}

type Mutation = {
  target: number;
  op: 'edge' | 'delete' | 'set' | 'wrap' | 'stringify' | 'replace-item';
  value: Json;
  pick: number;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  target: fc.nat(),
  op: fc.constantFrom('edge', 'edge', 'edge', 'edge', 'set', 'set', 'delete', 'wrap', 'stringify', 'replace-item'),
  value: chaos,
  pick: fc.nat(),
});

type Container = Json[] | { [key: string]: Json };
interface Document {
  root: Json;
  /** The items as json.ts finds them (an array, value[] / items[], or the document itself), mutated in place. */
  items: Json[];
  single: boolean;
}
function documentOf(root: Json): Document {
  if (Array.isArray(root)) return { root, items: root, single: false };
  if (root !== null && typeof root === 'object' && !(root instanceof RawJson)) {
    if (Array.isArray(root.value)) return { root, items: root.value, single: false };
    if (Array.isArray(root.items)) return { root, items: root.items, single: false };
    return { root, items: [root], single: true };
  }
  throw new Error('fixture document is not an inventory document');
}

/** Every (container, key) inside an item, depth first: the places a mutation can hit. */
function placesIn(value: Json, out: [Container, string | number][]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([value, index]);
      placesIn(item, out);
    });
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const [key, item] of Object.entries(value)) {
      out.push([value, key]);
      placesIn(item, out);
    }
  }
}

function mutate(documents: Document[], change: Mutation): void {
  const all = documents.flatMap((document) => document.items.map((_, index) => ({ document, index })));
  if (all.length === 0) return;
  const chosen = all[change.target % all.length];
  if (!chosen) return;
  const { document, index } = chosen;
  if (change.op === 'replace-item') {
    // a single-resource document replaced by a scalar would be a different file-level case (fuzzed below)
    if (!document.single) document.items[index] = change.value;
    return;
  }
  const allPlaces: [Container, string | number][] = [];
  placesIn(document.items[index] ?? null, allPlaces);
  const valueAt = ([container, key]: [Container, string | number]): Json =>
    (container as Record<string | number, Json>)[key] ?? null;
  // an edge value replaces a number or a time; the other operations hit any place
  const places =
    change.op === 'edge' ? allPlaces.filter((place) => isNumber(valueAt(place)) || isTime(valueAt(place))) : allPlaces;
  const place = places[Math.trunc(change.target / all.length) % Math.max(places.length, 1)];
  if (!place) return;
  const [container, key] = place;
  const current = valueAt(place);
  const next: Json | undefined =
    change.op === 'edge'
      ? edgeOf(current, change.pick)
      : change.op === 'delete'
        ? undefined
        : change.op === 'set'
          ? change.value
          : change.op === 'wrap'
            ? [current]
            : typeof current === 'string'
              ? current
              : toJson(current);
  if (Array.isArray(container)) {
    container[key as number] = next ?? null;
  } else if (next === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- deleting a field is the point
    delete container[key];
  } else {
    container[key] = next;
  }
}

interface TransactionRow {
  hour: string;
  resource: string;
  api: string;
  count: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared checks

let wh: Warehouse;
let scratch: string;
let runNumber = 0;

async function freshFolder(): Promise<string> {
  runNumber += 1;
  const folder = join(scratch, `run-${runNumber}`);
  await mkdir(folder, { recursive: true });
  return folder;
}

/** Empty every table an ingest writes, so each run starts alike (cheaper than a new warehouse per run). */
async function reset(): Promise<void> {
  for (const table of [
    'quarantine',
    'storage_account_observation',
    'file_service_observation',
    'share_observation',
    'share_snapshot_observation',
    'disk_snapshot_observation',
    'share_interval',
    'disk_snapshot_interval',
    'transaction_count',
  ]) {
    await wh.run(`delete from ${table}`);
  }
}

/** The report adds up, and each quarantined record is one row with a reason, inside the files read. */
async function expectConsistent(report: InventoryReport, itemsPerFile?: Map<string, number>): Promise<void> {
  expect(report.recordsIngested + report.recordsQuarantined).toBe(report.recordsRead);
  expect(report.recordsIngested).toBeGreaterThanOrEqual(0);
  const rows = await wh.rows<{ source_file: string; source_line: string; reason: string }>(
    "select source_file, source_line, reason from quarantine where stage = 'inventory'",
  );
  expect(rows).toHaveLength(report.recordsQuarantined);
  expect(new Set(rows.map((row) => `${row.source_file}#${row.source_line}`)).size).toBe(rows.length);
  for (const row of rows) {
    expect(row.reason.trim()).not.toBe('');
    if (itemsPerFile) {
      const items = itemsPerFile.get(row.source_file);
      expect(items, row.source_file).toBeDefined();
      expect(Number(row.source_line)).toBeGreaterThanOrEqual(1);
      expect(Number(row.source_line)).toBeLessThanOrEqual(items ?? 0);
    }
  }
}

/**
 * Writes each content as its own file in a dated folder and ingests the folder: the report must add up, or an
 * InputError must name one of the files, which is then set aside and the rest ingested again (a file-level error is
 * cheap: it comes before any record is typed).
 */
async function ingestEach(
  contents: (string | { bytes: Uint8Array; extension: string })[],
  extension = '.json',
): Promise<void> {
  await reset();
  const folder = join(await freshFolder(), '2024-03-01T00-00Z');
  await mkdir(folder);
  const files: string[] = [];
  for (const [i, content] of contents.entries()) {
    const file = join(folder, `file-${i}${typeof content === 'string' ? extension : content.extension}`);
    await writeFile(file, typeof content === 'string' ? content : content.bytes);
    files.push(file);
  }
  for (let left = files.length; left > 0; left--) {
    const report = await ingestOrInputError([folder], files);
    if (report) {
      await expectConsistent(report);
      return;
    }
  }
}

/**
 * Resolves with the report, or removes the file an InputError names (it must be one of `files`) and resolves
 * with undefined. Any other error is a failure.
 */
async function ingestOrInputError(inputs: string[], files: string[]): Promise<InventoryReport | undefined> {
  try {
    return await ingestInventory(wh, inputs);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const file = files.find((f) => error.message.startsWith(`${f}: `));
    expect(file, error.message).toBeDefined();
    await rm(file ?? '');
    return undefined;
  }
}

describe('fuzzing the inventory readers', () => {
  beforeAll(async () => {
    wh = await openTestWarehouse();
    scratch = await mkdtemp(join(tmpdir(), 'recon-fuzz-'));
  });
  afterAll(async () => {
    wh.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('arbitrary JSON documents: records that add up, or an InputError naming the file', async () => {
    const observedAt = fc.oneof(fc.constantFrom('2024-03-01T00:00:00Z', 'infinity', '', '2024-13-01'), chaos);
    const document = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
      fc.array(chaos, { maxLength: 6 }),
      fc.record({ observedAt, value: fc.oneof(fc.array(chaos, { maxLength: 4 }), chaos) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(document, { minLength: 1, maxLength: 6 }), async (values) => {
        await ingestEach(values.map(toJson), '.json');
      }),
      { numRuns: runs(20) },
    );
  });

  it('arbitrary bytes, and real files with a byte changed or cut short: records, or an InputError naming the file', async () => {
    const samples = await Promise.all(
      [
        join(INVENTORY_FIXTURES, 'az-cli', '2024-03-01T00-00Z', 'shares.json'),
        join(INVENTORY_FIXTURES, 'arm-rest', 'shares-list.json'),
        join(INVENTORY_FIXTURES, 'canonical', 'az-cli.share_state.csv'),
        join(INVENTORY_FIXTURES, 'canonical', 'disk-snapshots.disk_snapshot.csv'),
      ].map(async (file) => ({ bytes: await readFile(file), extension: file.endsWith('.csv') ? '.csv' : '.json' })),
    );
    const damaged = fc
      .record({
        sample: fc.nat(samples.length - 1),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
        cut: fc.boolean(),
      })
      .map(({ sample, at, byte, cut }) => {
        const { bytes, extension } = samples[sample] ?? { bytes: Buffer.alloc(0), extension: '.json' };
        const position = at % Math.max(bytes.length, 1);
        const changed = Buffer.from(cut ? bytes.subarray(0, position) : bytes);
        if (!cut) changed[position] = byte;
        return { bytes: changed, extension };
      });
    const noise = fc.record({ bytes: fc.uint8Array({ maxLength: 48 }), csv: fc.boolean() }).map(({ bytes, csv }) =>
      csv
        ? {
            bytes: Buffer.concat([Buffer.from('share_resource_id,billing_model,media_tier,redundancy\n'), bytes]),
            extension: '.csv',
          }
        : { bytes: Buffer.from(bytes), extension: '.json' },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(damaged, noise), { minLength: 1, maxLength: 6 }), async (files) => {
        await ingestEach(files);
      }),
      { numRuns: runs(20) },
    );
  });

  it('real az / ARM JSON with fields deleted and retyped: every item read or quarantined, never an InputError', async () => {
    const sets = [
      join(INVENTORY_FIXTURES, 'az-cli'),
      join(INVENTORY_FIXTURES, 'arm-rest'),
      join(INVENTORY_FIXTURES, 'fileshares'),
      join(INVENTORY_FIXTURES, 'disk-snapshots'),
      join(ROBUSTNESS_FIXTURES, 'conflicting-duplicates', '2024-03-01T00-00Z'),
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 5, maxLength: 40 }), async (changes) => {
        await reset();
        const folder = await freshFolder();
        // every set in each run (the ingest, not the mutations, is what costs); each keeps its own folder name:
        // it may carry the observation time
        for (const set of sets) await cp(set, join(folder, basename(set)), { recursive: true });
        const files = (await readdir(folder, { recursive: true }))
          .filter((name) => name.endsWith('.json'))
          .map((name) => join(folder, name));
        const documents = await Promise.all(
          files.map(async (file) => documentOf(JSON.parse(await readFile(file, 'utf8')) as Json)),
        );
        for (const change of changes) mutate(documents, change);
        const itemsPerFile = new Map<string, number>();
        for (const [index, file] of files.entries()) {
          const document = documents[index];
          if (!document) continue;
          await writeFile(file, toJson(document.root));
          itemsPerFile.set(file, document.items.length);
        }
        const report = await ingestInventory(wh, [folder]);
        expect(report.recordsRead).toBe([...itemsPerFile.values()].reduce((a, b) => a + b, 0));
        await expectConsistent(report, itemsPerFile);
      }),
      { numRuns: runs(12) },
    );
  });

  it('share_state.csv headers in any order and case, with extra and unnamed columns: the same typed rows', async () => {
    const canonical: [string, string, unknown][] = [
      // column, cell, share_observation value
      ['observed_at', '2024-03-01T00:00:00Z', '2024-03-01 00:00:00'],
      ['billing_resource_id', ACCOUNT, ACCOUNT.toLowerCase()],
      ['protocol', 'NFS', 'nfs'],
      ['access_tier', 'Premium', 'premium'],
      ['provisioned_gib', '2048', '2048'],
      ['provisioned_iops', '6000', '6000'],
      ['provisioned_mibps', '300', '300'],
      ['used_bytes', '9223372036854775807', '9223372036854775807'],
      ['snapshot_differential_bytes', '1073741824', '1073741824'],
      ['metadata_bytes', '4096', '4096'],
      ['is_deleted', 'FALSE', false],
      ['deleted_at', '', null],
      ['retention_days', '7', 7],
    ];
    const required: [string, string, unknown][] = [
      ['billing_model', 'V2', 'v2'],
      ['media_tier', 'SSD', 'ssd'],
      ['redundancy', 'ZRS', 'zrs'],
    ];
    const extras = fc.uniqueArray(fc.constantFrom('notes', 'Owner', 'cost_center', 'x', ''), { maxLength: 3 });
    const header = fc.record({
      optional: fc.shuffledSubarray(canonical),
      extras,
      order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
      cases: fc.array(fc.nat({ max: 3 }), { minLength: 20, maxLength: 20 }),
      quoted: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
      junk: fc.string({ maxLength: 8 }),
      crlf: fc.boolean(),
      bom: fc.boolean(),
    });
    const styled = (name: string, style: number, quoted: boolean): string => {
      const cased =
        style === 0
          ? name
          : style === 1
            ? name.toUpperCase()
            : style === 2
              ? name.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase())
              : ` ${name} `;
      return quoted ? `"${cased.replaceAll('"', '""')}"` : cased;
    };
    const cell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    await fc.assert(
      fc.asyncProperty(fc.array(header, { minLength: 1, maxLength: 6 }), async (headers) => {
        await reset();
        const folder = join(await freshFolder(), '2024-03-01T00-00Z');
        await mkdir(folder);
        const expected: Record<string, unknown>[] = [];
        for (const [k, h] of headers.entries()) {
          const share = `${ACCOUNT}/fileServices/default/shares/s${k}`;
          const columns: [string, string][] = [
            ['share_resource_id', share],
            ...[...required, ...h.optional].map(([name, text]): [string, string] => [name, text]),
            ...h.extras.map((name): [string, string] => [name, h.junk]),
          ];
          // a stable shuffle from the generated keys
          const order = columns
            .map((column, i) => ({ column, key: h.order[i] ?? i, i }))
            .sort((a, b) => a.key - b.key || a.i - b.i)
            .map(({ column }) => column);
          const eol = h.crlf ? '\r\n' : '\n';
          const head = order.map(([name], i) => styled(name, h.cases[i] ?? 0, h.quoted[i] ?? false)).join(',');
          const row = order.map(([, text]) => cell(text)).join(',');
          await writeFile(join(folder, `share_state_${k}.csv`), `${h.bom ? '\uFEFF' : ''}${head}${eol}${row}${eol}`);
          const given = new Map([...required, ...h.optional].map(([name, , value]) => [name, value]));
          expected.push({
            share_resource_id: share.toLowerCase(),
            // a missing observed_at comes from the folder name; billing_resource_id is derived; is_deleted: false
            observed_at: '2024-03-01 00:00:00',
            billing_resource_id: ACCOUNT.toLowerCase(),
            billing_model: 'v2',
            media_tier: 'ssd',
            redundancy: 'zrs',
            protocol: given.get('protocol') ?? null,
            access_tier: given.get('access_tier') ?? null,
            provisioned_gib: given.get('provisioned_gib') ?? null,
            provisioned_iops: given.get('provisioned_iops') ?? null,
            provisioned_mibps: given.get('provisioned_mibps') ?? null,
            used_bytes: given.get('used_bytes') ?? null,
            snapshot_differential_bytes: given.get('snapshot_differential_bytes') ?? null,
            metadata_bytes: given.get('metadata_bytes') ?? null,
            is_deleted: false,
            deleted_at: null,
            retention_days: given.get('retention_days') ?? null,
            source_line: '2',
          });
        }
        const report = await ingestInventory(wh, [folder]);
        expect(report).toMatchObject({ recordsRead: headers.length, recordsQuarantined: 0 });
        expect(
          await wh.rows(
            `select share_resource_id, observed_at, billing_resource_id, billing_model, media_tier, redundancy, protocol,
                    access_tier, provisioned_gib, provisioned_iops, provisioned_mibps, used_bytes,
                    snapshot_differential_bytes, metadata_bytes, is_deleted, deleted_at, retention_days, source_line
             from share_observation order by share_resource_id`,
          ),
        ).toEqual(expected);
      }),
      { numRuns: runs(10) },
    );
  });

  it('transactions.csv rows of every kind: each line ingested with its bucket or quarantined, none dropped', async () => {
    const known = apiNameBuckets().map(({ apiName }) => apiName);
    const recase = (text: string, style: number): string =>
      style === 1 ? text.toUpperCase() : style === 2 ? text.toLowerCase() : style === 3 ? ` ${text} ` : text;
    const hour = fc.oneof(
      fc.nat({ max: 23 }).map((h) => `2024-03-01T${String(h).padStart(2, '0')}:00:00Z`),
      fc.constantFrom('2024-03-01T01:30:00Z', '2024-03-01 02:00', '', 'infinity', 'epoch', '2024-02-30T00:00:00Z'),
      fc.string({ maxLength: 6 }),
    );
    const resource = fc.oneof(
      fc.nat({ max: 3 }).map((style) => recase(ACCOUNT, style)),
      fc.constantFrom('', `${SUB}/providers/Microsoft.FileShares/fileShares/fs1`, 'not-an-id'),
      fc.string({ maxLength: 6 }),
    );
    const api = fc.oneof(
      fc.tuple(fc.constantFrom(...known), fc.nat({ max: 3 })).map(([name, style]) => recase(name, style)),
      fc.constantFrom('FrobnicateFile', '', 'Delete File', 'put,range', 'Read"'),
      fc.string({ maxLength: 6 }),
    );
    const count = fc.oneof(
      fc.nat().map(String),
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
      fc.constantFrom('1.5', '1e3', '', ' 7 ', '+5', '007', '-0', '1000000000000', '1000000000001', 'two\nlines'),
      fc.string({ maxLength: 6 }),
    );
    const row: fc.Arbitrary<TransactionRow> = fc.record({ hour, resource, api, count });
    const header = fc.record({
      order: fc.constantFrom([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]),
      style: fc.nat({ max: 3 }),
      extra: fc.boolean(),
    });
    const cell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(header, fc.array(row, { maxLength: 12 })), { maxLength: 4 }),
        async (cases) => {
          await reset();
          const folder = await freshFolder();
          const names = ['hour', 'billing_resource_id', 'api_name', 'count'];
          const written: { file: string; rows: TransactionRow[]; lines: number[] }[] = [];
          for (const [k, [h, rows]] of cases.entries()) {
            const pick = (values: string[]): string[] => h.order.map((i) => values[i] ?? '');
            const head = [...pick(names).map((name) => recase(name, h.style).trim()), ...(h.extra ? ['Note'] : [])];
            let text = `${head.join(',')}\n`;
            const lines: number[] = [];
            for (const r of rows) {
              lines.push(text.split('\n').length);
              const cells = pick([r.hour, r.resource, r.api, r.count]).map(cell);
              text += `${[...cells, ...(h.extra ? ['n'] : [])].join(',')}\n`;
            }
            const file = join(folder, `transactions-${k}.csv`);
            await writeFile(file, text);
            written.push({ file, rows, lines });
          }
          if (written.length === 0) {
            await expect(ingestTransactions(wh, [folder])).rejects.toThrow(/the folder holds no \.csv files/);
            return;
          }
          const report = await ingestTransactions(wh, [folder]);
          const total = written.reduce((n, w) => n + w.rows.length, 0);
          expect(report).toMatchObject({ files: written.length, rowsRead: total });
          expect(report.rowsIngested + report.rowsQuarantined).toBe(total);
          for (const { file, rows, lines } of written) {
            const counted = await wh.rows<{ source_line: string; api_name: string; bucket: string; n: string }>(
              `select source_line, api_name, bucket, transaction_count::varchar as n
             from transaction_count where source_file = $file`,
              { file },
            );
            const quarantined = await wh.rows<{ source_line: string; reason: string }>(
              "select source_line, reason from quarantine where stage = 'transactions' and source_file = $file",
              { file },
            );
            // every row is on exactly one side, at its physical line
            expect([...counted, ...quarantined].map((r) => Number(r.source_line)).sort((a, b) => a - b)).toEqual(lines);
            for (const [i, r] of rows.entries()) {
              const line = String(lines[i]);
              const bucket = bucketOfApiName(r.api);
              const kept = counted.find((c) => c.source_line === line);
              if (kept) {
                expect(kept.bucket).toBe(bucket);
                expect(known).toContain(kept.api_name);
                expect(kept.n).toBe(BigInt(r.count.trim()).toString());
              } else if (bucket === undefined) {
                // an API with no billing category is surfaced, never dropped
                const reason = quarantined.find((q) => q.source_line === line)?.reason ?? '';
                expect(reason).toMatch(r.api.trim() === '' ? /api_name is missing/ : /unknown API name/);
              }
            }
          }
        },
      ),
      { numRuns: runs(40) },
    );
  });
});
