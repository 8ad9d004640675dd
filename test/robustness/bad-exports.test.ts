// Bad cost exports and manifests: recon never crashes on them, never drops a row silently, and either stops with
// an InputError naming the file, the line and the problem, or quarantines the row (with its line and reason) and
// counts it. Most cases call the ingest API; a handful run the real CLI to prove exit code 2 without a stack trace.
import { createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse, type Row } from '../../src/db/warehouse.ts';
import { InputError } from '../../src/errors.ts';
import { parseHeader } from '../../src/ingest/header.ts';
import { ingestExports, type IngestReport } from '../../src/ingest/index.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, workDir } from '../e2e/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'robustness', 'exports');
const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

// The template: the real 55-column EA header (Cost, Product, BillingCurrency spelling) with a disk-snapshot row
// and an Azure Files provisioned v2 row from the sample month.
const TEMPLATE = await readFile(fixture('ea-template.csv'), 'utf8');
const [HEADER_LINE = '', SNAPSHOT_LINE = '', FILES_LINE = ''] = TEMPLATE.trimEnd().split('\n');
const HEADER = parseHeader('ea-template.csv', Buffer.from(HEADER_LINE));
const SNAPSHOT = parseHeader('ea-template.csv', Buffer.from(SNAPSHOT_LINE));
const FILES = parseHeader('ea-template.csv', Buffer.from(FILES_LINE));
const RUN = '3c9a1f20-7b4e-4d5a-8f61-0e2d4c6b8a19';
const MANIFEST = JSON.parse(await readFile(fixture('manifest-template.json'), 'utf8')) as ManifestJson;

interface ManifestJson {
  byteCount?: unknown;
  blobCount?: unknown;
  dataRowCount?: unknown;
  runInfo: Record<string, unknown> | unknown[];
  blobs: unknown;
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A data line: the template row with some columns (by header name) replaced by raw field text. */
function line(base: readonly string[], changes: Record<string, string> = {}): string {
  const fields = base.map(csvField);
  for (const [name, value] of Object.entries(changes)) {
    const at = HEADER.indexOf(name);
    if (at < 0) throw new Error(`no column ${name} in the template`);
    fields[at] = csvField(value);
  }
  return fields.join(',');
}

const csv = (...lines: string[]): string => `${[HEADER_LINE, ...lines].join('\n')}\n`;

const made: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-bad-exports-'));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempFile(name: string, content: string | Buffer): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, content);
  return path;
}

/** A manifest delivery in the export layout under `<root>/exports`; returns the manifest's path. */
async function manifestDelivery(
  root: string,
  parts: Record<string, string | Buffer>,
  edit: (manifest: ManifestJson) => void = () => undefined,
): Promise<string> {
  const runFolder = join(root, 'exports', 'recon-files-daily', '20261001-20261031', RUN);
  await mkdir(runFolder, { recursive: true });
  const manifest = structuredClone(MANIFEST);
  manifest.blobs = [];
  let bytes = 0;
  for (const [name, content] of Object.entries(parts)) {
    await writeFile(join(runFolder, name), content);
    const byteCount = Buffer.byteLength(content);
    bytes += byteCount;
    (manifest.blobs as Record<string, unknown>[]).push({
      blobName: `exports/recon-files-daily/20261001-20261031/${RUN}/${name}`,
      byteCount,
      dataRowCount: String(content).trimEnd().split('\n').length - 1,
    });
  }
  manifest.blobCount = Object.keys(parts).length;
  manifest.byteCount = bytes;
  manifest.dataRowCount = (manifest.blobs as { dataRowCount: number }[]).reduce((n, b) => n + b.dataRowCount, 0);
  edit(manifest);
  const path = join(runFolder, 'manifest.json');
  await writeFile(path, JSON.stringify(manifest, null, 2));
  return path;
}

interface Quarantined extends Row {
  source_file: string;
  source_line: string;
  reason: string;
  raw_text: string | null;
}

describe('bad cost exports and manifests', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openTestWarehouse();
  });
  afterEach(() => {
    wh.close();
  });

  const quarantine = (): Promise<Quarantined[]> =>
    wh.rows<Quarantined>('select source_file, source_line, reason, raw_text from quarantine order by source_line');
  const ingestedLines = async (): Promise<string[]> =>
    (await wh.rows<{ source_line: string }>('select source_line from billing_line order by source_line')).map(
      (r) => r.source_line,
    );
  const counts = (report: IngestReport): number[] => [report.rowsRead, report.rowsIngested, report.rowsQuarantined];
  const nothingStored = async (): Promise<void> => {
    expect(
      await wh.row('select (select count(*) from delivery) as d, (select count(*) from billing_line) as b'),
    ).toEqual({ d: '0', b: '0' });
  };

  /** The ingest fails with exactly this InputError, and nothing lands in the warehouse. */
  async function refused(inputs: string[], message: string | RegExp): Promise<void> {
    const failure = await ingestExports(wh, inputs).then(
      () => new Error('ingest succeeded'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InputError);
    if (typeof message === 'string') expect((failure as Error).message).toBe(message);
    else expect((failure as Error).message).toMatch(message);
    await nothingStored();
  }

  describe('cut-off files', () => {
    it('a truncated .csv.gz is refused, naming the line the data breaks off in', async () => {
      const rows = Array.from({ length: 400 }, (_, i) => line(FILES, { Quantity: String(i) }));
      const whole = gzipSync(Buffer.from(csv(...rows)));
      const cut = whole.subarray(0, Math.floor(whole.length / 2));
      const path = await tempFile('part_0_0001.csv.gz', cut);
      // What a streaming gunzip hands over before it fails: the line the scan had reached.
      const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
      const atLine = readable.split('\n').length;
      expect(atLine).toBeGreaterThan(2);
      await refused(
        [path],
        `${path}: line ${atLine}: the gzip data ends early (truncated .csv.gz file): unexpected end of file`,
      );
    });

    it('a plain CSV named .csv.gz and a gzip file named .csv are each named for what they are', async () => {
      const plain = await tempFile('part_0_0001.csv.gz', csv(line(FILES)));
      await refused([plain], `${plain}: line 1: not gzip data (a plain .csv named .csv.gz?): incorrect header check`);
      const zipped = await tempFile('part_0_0001.csv', gzipSync(csv(line(FILES))));
      await refused([zipped], `${zipped}: line 1: the file is gzip-compressed: name it .csv.gz`);
    });

    it('a CSV that ends mid-row quarantines that row on its line, saying the file may be cut off', async () => {
      const path = await tempFile('usage.csv', `${csv(line(SNAPSHOT), line(FILES))}${FILES.slice(0, 12).join(',')}`);
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([3, 2, 1]);
      expect(await quarantine()).toEqual([
        {
          source_file: path,
          source_line: '4',
          reason:
            'MISSING COLUMNS: Expected Number of Columns: 55 Found: 12 ' +
            '(the last record; the file ends without a line break: a cut-off file?)',
          raw_text: FILES.slice(0, 12).join(','),
        },
      ]);
      expect(await ingestedLines()).toEqual(['2', '3']);
    });

    it('a CSV that ends inside an open quote quarantines the record the quote opens in', async () => {
      const files = line(FILES);
      // Cut inside the quoted Tags value: DuckDB reports this as "MISSING COLUMNS … Found: 1" with the text '8611'.
      const cut = files.slice(0, files.indexOf('"""CostCenter') + 8);
      const path = await tempFile('usage.csv', `${csv(line(SNAPSHOT), line(FILES))}${cut}`);
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([3, 2, 1]);
      expect(await quarantine()).toEqual([
        {
          source_file: path,
          source_line: '4',
          reason: 'UNTERMINATED QUOTE: the file ends inside a quoted field that opens in this record (a cut-off file?)',
          raw_text: null,
        },
      ]);
    });

    it('refuses mixed line endings and stray carriage returns, naming the line; CRLF throughout is fine', async () => {
      // DuckDB's reader rejects the whole file for these ("state machine reached an invalid state"), without a line.
      const mixed = await tempFile('usage.csv', `${HEADER_LINE}\r\n${line(SNAPSHOT)}\r\n${line(FILES)}\n`);
      const advice =
        "DuckDB's CSV reader cannot read a file with mixed or stray line breaks; save it with one line ending (CRLF or LF)";
      await refused([mixed], `${mixed}: line 3: this line ends in LF, the lines before it in CRLF: ${advice}`);
      // An unquoted CR inside a field (a quoted one is fine).
      const stray = await tempFile('usage.csv', csv(line(SNAPSHOT), line(FILES).replace(',media,', ',me\rdia,')));
      await refused(
        [stray],
        `${stray}: line 3: a carriage return (CR) outside quotes that does not end the line: ${advice}`,
      );
      const doubled = await tempFile('usage.csv', csv(line(SNAPSHOT), line(FILES)).replace(/\n/g, '\r\r\n'));
      await refused(
        [doubled],
        `${doubled}: line 1: a carriage return (CR) outside quotes that does not end the line: ${advice}`,
      );
      const crlf = await tempFile(
        'usage.csv',
        csv(line(SNAPSHOT), line(FILES, { ResourceName: 'me\rdia' })).replace(/\n/g, '\r\n'),
      );
      expect(counts(await ingestExports(wh, [crlf]))).toEqual([2, 2, 0]);
    });

    it("a manifest's second partition without its header row is refused, naming the partition", async () => {
      const run = fixture('partition-without-header', 'recon-files-daily', '20261001-20261031', RUN);
      await refused(
        [join(run, 'manifest.json')],
        `${join(run, 'part_1_0001.csv')}: line 1: header is not a Cost Management cost export (EA, MCA or FOCUS) ` +
          '(it looks like a data row: a file or partition whose header row is missing?): ' +
          'found 8611537, Contoso Ltd (EA), 10/01/2026, 10/31/2026, 8611537, Contoso Ltd (EA), finops@contoso.example, Contoso Platform, …',
      );
    });
  });

  describe('encodings', () => {
    it('refuses UTF-16, with or without a byte order mark', async () => {
      const text = csv(line(FILES));
      const withBom = await tempFile(
        'utf16.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      );
      await refused(
        [withBom],
        `${withBom}: line 1: the file is UTF-16 (or UTF-32) encoded, not UTF-8: re-save it as UTF-8`,
      );
      const noBom = await tempFile('utf16.csv', Buffer.from(text, 'utf16le'));
      await refused(
        [noBom],
        `${noBom}: line 1: the header contains NUL bytes: a binary file, or UTF-16 without a byte order mark`,
      );
    });

    it('keeps a row whose descriptive columns carry Latin-1 bytes; quarantines one whose money does', async () => {
      const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
      const path = await tempFile(
        'usage.csv',
        Buffer.concat([
          Buffer.from(`${HEADER_LINE}\n`),
          // A Latin-1 re-save (Excel): é as 0xE9 in a name and in the tags describe the charge; they do not price it.
          latin1(`${line(FILES, { ResourceName: 'médias' })}\n`),
          Buffer.from(`${line(SNAPSHOT)}\n`),
          // A French re-save: '1 234,50' with 0xA0 as the thousands separator: the cost cannot be read.
          latin1(`${line(FILES, { Cost: '1\u00a0234,50' })}\n`),
          // The same in UTF-8 is valid text but not a number.
          Buffer.from(`${line(FILES, { Cost: '1\u00a0234,50' })}\n`),
          latin1(`${line(SNAPSHOT, { Tags: '{"Équipe": "sécurité"}' })}\n`),
        ]),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([5, 3, 2]);
      const q = await quarantine();
      expect(q.map((r) => [r.source_line, r.reason])).toEqual([
        [
          '4',
          'Cost: not UTF-8 text (a byte that is no character, as a Latin-1 or Windows-1252 re-save writes): 1\ufffd234,50',
        ],
        ['5', 'Cost: not a decimal: 1\u00a0234,50'],
      ]);
      expect(await ingestedLines()).toEqual(['2', '3', '6']);
      expect(await wh.rows(`select source_line, resource_name from billing_line where source_line = 2`)).toEqual([
        { source_line: '2', resource_name: 'm\ufffddias' },
      ]);
      const replaced = 'not UTF-8 text: the bytes that are no character are kept as U+FFFD';
      expect(
        await wh.rows(
          'select source_line, column_name, problem, raw_text from descriptive_field_problem order by source_line, column_name',
        ),
      ).toEqual([
        { source_line: '2', column_name: 'ResourceName', problem: replaced, raw_text: 'm\ufffddias' },
        { source_line: '6', column_name: 'Tags', problem: replaced, raw_text: '{"\ufffdquipe": "s\ufffdcurit\ufffd"}' },
      ]);
      expect(report.rowsWithDescriptiveProblems).toBe(2);
    });

    it('reads a clean UTF-8 file with the same rows as before (no replacement, nothing counted)', async () => {
      const path = await tempFile('usage.csv', csv(line(FILES, { ResourceName: 'médias' }), line(SNAPSHOT)));
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([2, 2, 0]);
      expect(await wh.rows(`select resource_name from billing_line where source_line = 2`)).toEqual([
        { resource_name: 'médias' },
      ]);
      expect(await wh.rows('select * from descriptive_field_problem')).toEqual([]);
    });

    it('keeps a charge whose descriptive columns cannot be read, with their text, and counts the problem', async () => {
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES, { Tags: 'env=prod;cc=4711' }), // key=value tags from a hand-edited file: not JSON
          line(FILES, { AdditionalInfo: '[1,2]', UnitPrice: 'n/a' }),
          line(SNAPSHOT, { ResourceName: '  snap \u2028 "odd" name  ' }),
        ),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([3, 3, 0]);
      expect(await quarantine()).toEqual([]);
      expect(
        await wh.rows('select source_line, tags, additional_info, unit_price from billing_line order by source_line'),
      ).toEqual([
        { source_line: '2', tags: null, additional_info: null, unit_price: '0.0000370000000000000000000000' },
        { source_line: '3', tags: '{"CostCenter": "4711","env": "prod"}', additional_info: null, unit_price: null },
        {
          source_line: '4',
          tags: '{"CostCenter": "4711","env": "prod"}',
          additional_info: null,
          unit_price: '0.0500000000000000000000000000',
        },
      ]);
      expect(
        await wh.rows(
          'select source_line, column_name, problem, raw_text from descriptive_field_problem order by source_line, column_name',
        ),
      ).toEqual([
        { source_line: '2', column_name: 'Tags', problem: 'not a JSON object', raw_text: 'env=prod;cc=4711' },
        { source_line: '3', column_name: 'AdditionalInfo', problem: 'not a JSON object', raw_text: '[1,2]' },
        { source_line: '3', column_name: 'UnitPrice', problem: 'not a decimal', raw_text: 'n/a' },
      ]);
      expect(report.rowsWithDescriptiveProblems).toBe(2);
    });

    it('a quarantined charge row keeps the resource and day it names, for the diff', async () => {
      const id = FILES[HEADER.indexOf('ResourceId')] ?? '';
      const path = await tempFile('usage.csv', csv(line(FILES, { Quantity: '84,288' }), line(SNAPSHOT, { Cost: '' })));
      expect(counts(await ingestExports(wh, [path]))).toEqual([2, 0, 2]);
      expect(
        await wh.rows(
          'select source_line, billing_resource_id, usage_date, is_files_or_snapshot from quarantine order by 1',
        ),
      ).toEqual([
        {
          source_line: '2',
          billing_resource_id: id.toLowerCase(),
          usage_date: '2026-10-01',
          is_files_or_snapshot: true,
        },
        {
          source_line: '3',
          billing_resource_id: (SNAPSHOT[HEADER.indexOf('ResourceId')] ?? '').toLowerCase(),
          usage_date: '2026-10-01',
          is_files_or_snapshot: true,
        },
      ]);
    });

    it('normalises ResourceIds (case, surrounding spaces, a trailing slash) to one key before grouping', async () => {
      const id = FILES[HEADER.indexOf('ResourceId')] ?? '';
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES),
          line(FILES, { ResourceId: `  ${id.toUpperCase()}  ` }),
          line(FILES, { ResourceId: `${id}/` }),
          line(FILES, { ResourceId: ` ${id}// ` }),
        ),
      );
      expect(counts(await ingestExports(wh, [path]))).toEqual([4, 4, 0]);
      expect(await wh.rows('select distinct billing_resource_id from billing_line')).toEqual([
        { billing_resource_id: id.toLowerCase() },
      ]);
    });

    it('refuses a Latin-1 header instead of reading its first data row as the header', async () => {
      // Before: DuckDB rejected the header record, "quarantined" it as line 1, and line 2 silently took its place.
      const header = Buffer.from(HEADER_LINE.replace(',AccountName,', ',AccountNäme,'), 'latin1');
      const offset = HEADER_LINE.indexOf(',AccountName,') + ',AccountN'.length;
      const path = await tempFile(
        'usage.csv',
        Buffer.concat([header, Buffer.from(`\n${line(SNAPSHOT)}\n${line(FILES)}\n`)]),
      );
      await refused(
        [path],
        `${path}: line 1: the header is not UTF-8 (byte 0xE4 at offset ${offset}; saved as Latin-1/Windows-1252?): ` +
          're-save the file as UTF-8',
      );
    });
  });

  describe('headers', () => {
    it("refuses a semicolon-separated Excel re-save, saying it is ';'-separated", async () => {
      const path = fixture('excel-semicolon.csv');
      await refused(
        [path],
        new RegExp(
          `^${escapeRegExp(path)}: line 1: header is not a Cost Management cost export \\(EA, MCA or FOCUS\\) ` +
            "\\(its columns are separated by ';', not commas: re-saved by Excel with another locale\\? " +
            'Export files are comma-separated\\): found BillingAccountId;BillingAccountName;',
        ),
      );
    });

    it('refuses a column recon reads that appears twice; a repeated column it does not read is harmless', async () => {
      const twice = await tempFile('usage.csv', `${HEADER_LINE},quantity\n${line(FILES)},999\n`);
      await refused(
        [twice],
        `${twice}: line 1: column Quantity appears 2 times (columns 20, 56): cannot tell which one to read`,
      );
      const harmless = await tempFile('usage.csv', `${HEADER_LINE},ServiceInfo1\n${line(FILES)},x\n`);
      const report = await ingestExports(wh, [harmless]);
      expect(counts(report)).toEqual([1, 1, 0]);
    });

    it('a header-only partition is valid: zero rows, counted, and the delivery stays complete', async () => {
      // Decision: a header without rows is an export of a day or scope without charges, not an error.
      const root = await tempDir();
      const manifest = await manifestDelivery(root, {
        'part_0_0001.csv': csv(line(SNAPSHOT), line(FILES)),
        'part_1_0001.csv': `${HEADER_LINE}\r\n`,
      });
      const report = await ingestExports(wh, [manifest]);
      expect(report.deliveries).toMatchObject([{ isComplete: true, rowsRead: 2, files: 2 }]);
      expect(await wh.rows('select rows_read from ingest_file order by source_file')).toEqual([
        { rows_read: '2' },
        { rows_read: '0' },
      ]);
    });

    it('refuses an empty file (0 bytes), also when compressed or listed in a manifest', async () => {
      const empty = await tempFile('usage.csv', '');
      await refused([empty], `${empty}: line 1: no header row (the file is empty, or its first line is blank)`);
      const emptyGz = await tempFile('usage.csv.gz', gzipSync(Buffer.alloc(0)));
      await refused([emptyGz], `${emptyGz}: line 1: no header row (the file is empty, or its first line is blank)`);
      const manifest = await manifestDelivery(await tempDir(), { 'part_0_0001.csv': '' });
      await refused(
        [manifest],
        `${join(dirname(manifest), 'part_0_0001.csv')}: line 1: no header row (the file is empty, or its first line is blank)`,
      );
    });

    it('refuses an export of another kind (reservation details), listing the columns it found', async () => {
      const path = fixture('reservation-details.csv');
      await refused(
        [path],
        `${path}: line 1: header is not a Cost Management cost export (EA, MCA or FOCUS): found ` +
          'InstanceFlexibilityGroup, InstanceFlexibilityRatio, InstanceId, Kind, ReservationId, ReservationOrderId, ' +
          'ReservedHours, SkuName, …',
      );
    });

    it('refuses a first record over 1 MiB without holding it', async () => {
      const path = await tempFile('usage.csv', `${HEADER_LINE},${'x'.repeat(2 << 20)}\n${line(FILES)}\n`);
      await refused([path], `${path}: line 1: the first record is longer than 1 MiB: not an export header`);
    });
  });

  describe('values', () => {
    it('quarantines numbers with thousands separators in Quantity and Cost', async () => {
      const path = await tempFile(
        'usage.csv',
        csv(line(FILES, { Quantity: '1,234.50' }), line(FILES, { Cost: '1,234.50' }), line(SNAPSHOT)),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([3, 1, 2]);
      const q = await quarantine();
      expect(q.map((r) => [r.source_line, r.reason])).toEqual([
        ['2', 'Quantity: not a decimal: 1,234.50'],
        ['3', 'Cost: not a decimal: 1,234.50'],
      ]);
      expect(q[0]?.raw_text).toBe(line(FILES, { Quantity: '1,234.50' }));
    });

    it('reads E-notation exactly, and quarantines what DECIMAL(38,28) would round or cannot hold', async () => {
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES, { Quantity: '1.5E-7' }),
          line(FILES, { Quantity: '2.5e+3', Cost: '9.25000000000000000000000001E-2' }), // exactly 28 digits
          line(FILES, { Quantity: '1.5e-28' }), // 29 fractional digits: would round to …0002
          line(FILES, { Quantity: '1E-30' }), // would become 0
          line(FILES, { Cost: '1.2345678901234567890123456789E-7' }),
          line(FILES, { Quantity: '1_234.5' }), // DuckDB's cast takes it; no export writes it
          line(FILES, { Quantity: 'NaN' }),
        ),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([7, 2, 5]);
      expect(await wh.rows('select source_line, quantity, cost from billing_line order by source_line')).toEqual([
        { source_line: '2', quantity: '0.0000001500000000000000000000', cost: '3.1186560000000000000000000000' },
        { source_line: '3', quantity: '2500.0000000000000000000000000000', cost: '0.0925000000000000000000000001' },
      ]);
      expect((await quarantine()).map((r) => [r.source_line, r.reason])).toEqual([
        ['4', 'Quantity: more than 28 fractional digits: 1.5e-28'],
        ['5', 'Quantity: more than 28 fractional digits: 1E-30'],
        ['6', 'Cost: more than 28 fractional digits: 1.2345678901234567890123456789E-7'],
        ['7', 'Quantity: not a decimal: 1_234.5'],
        ['8', 'Quantity: not a decimal: NaN'],
      ]);
    });

    it('quarantines impossible dates and two-digit years instead of moving them', async () => {
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES, { Date: '02/30/2026' }),
          line(FILES, { Date: '13/01/2026' }), // DD/MM/YYYY from a European re-save
          line(FILES, { Date: '10/1/26' }), // strptime alone reads the year 26
          line(FILES, { Date: '02/29/2025' }),
          line(FILES, { Date: '10/1/2026' }), // unpadded, as Excel writes it: fine
        ),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([5, 1, 4]);
      expect((await quarantine()).map((r) => [r.source_line, r.reason])).toEqual([
        ['2', 'Date: not a date/time: 02/30/2026'],
        ['3', 'Date: not a date/time: 13/01/2026'],
        ['4', 'Date: not a date/time: 10/1/26'],
        ['5', 'Date: not a date/time: 02/29/2025'],
      ]);
      expect(await wh.rows('select source_line, usage_date from billing_line')).toEqual([
        { source_line: '6', usage_date: '2026-10-01' },
      ]);
    });

    it('quarantines empty required fields, and a Files or snapshot usage charge without a ResourceId', async () => {
      const vm = {
        MeterCategory: 'Virtual Machines',
        MeterSubCategory: 'Dsv3 Series',
        MeterName: 'D2s v3',
        Product: 'Virtual Machines Dsv3 Series',
        ResourceId: '',
      };
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES, { Quantity: '' }),
          line(FILES, { Date: '' }),
          line(FILES, { ResourceId: '' }),
          line(SNAPSHOT, { ResourceId: ' ' }),
          line(FILES, { ...vm }), // not a Files meter: a row recon does not reconcile, kept
          line(FILES, { ResourceId: '', ChargeType: 'Purchase' }), // a purchase has no resource
        ),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([6, 2, 4]);
      expect((await quarantine()).map((r) => [r.source_line, r.reason])).toEqual([
        ['2', 'Quantity: missing'],
        ['3', 'Date: missing'],
        ['4', 'ResourceId: missing on a Files or snapshot meter: the charge cannot be attributed'],
        ['5', 'ResourceId: missing on a Files or snapshot meter: the charge cannot be attributed'],
      ]);
      expect(await ingestedLines()).toEqual(['6', '7']);
    });

    it('quarantines a negative quantity on a usage line and an absurd one; a refund may be negative', async () => {
      const path = await tempFile(
        'usage.csv',
        csv(
          line(FILES, { Quantity: '-24' }),
          line(FILES, { Quantity: '-24', Cost: '-0.000888', ChargeType: 'Refund' }),
          line(FILES, { Quantity: '1e30' }),
          line(FILES, { Quantity: '12345678901' }),
          line(FILES, { Quantity: '9999999999.5' }), // the largest the column holds: kept
        ),
      );
      const report = await ingestExports(wh, [path]);
      expect(counts(report)).toEqual([5, 2, 3]);
      expect((await quarantine()).map((r) => [r.source_line, r.reason])).toEqual([
        ['2', 'Quantity: negative on a usage line that is not a refund or correction: -24'],
        ['4', 'Quantity: out of range (DECIMAL(38,28) holds at most 10 integer digits): 1e30'],
        ['5', 'Quantity: out of range (DECIMAL(38,28) holds at most 10 integer digits): 12345678901'],
      ]);
      expect(
        await wh.rows('select source_line, quantity, charge_class from billing_line order by source_line'),
      ).toEqual([
        { source_line: '3', quantity: '-24.0000000000000000000000000000', charge_class: 'Correction' },
        { source_line: '6', quantity: '9999999999.5000000000000000000000000000', charge_class: null },
      ]);
    });
  });

  it('quarantines a 200 MB single-line field on its line, streaming it, and reads the rows around it', async () => {
    const path = join(await tempDir(), 'usage.csv');
    const out = createWriteStream(path);
    const tagsAt = HEADER.indexOf('Tags');
    // Line 3 is the Files row with a 200 MiB Tags value.
    const recordStart = `${FILES.slice(0, tagsAt).map(csvField).join(',')},"`;
    const recordEnd = `",${FILES.slice(tagsAt + 1)
      .map(csvField)
      .join(',')}\n`;
    const chunk = Buffer.alloc(1 << 20, 'x');
    out.write(`${HEADER_LINE}\n${line(SNAPSHOT)}\n${recordStart}`);
    for (let i = 0; i < 200; i++) if (!out.write(chunk)) await once(out, 'drain');
    out.end(`${recordEnd}${line(SNAPSHOT)}\n`);
    await once(out, 'finish');
    const recordBytes = recordStart.length + 200 * chunk.length + recordEnd.length;
    const started = Date.now();
    const report = await ingestExports(wh, [path]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(counts(report)).toEqual([3, 2, 1]);
    const [q] = await quarantine();
    expect(q?.source_line).toBe('3');
    expect(q?.reason).toBe(
      `LINE SIZE OVER MAXIMUM: the record is ${recordBytes.toLocaleString('en-US')} bytes; the limit is 8,388,608`,
    );
    // DuckDB keeps only the start of the record as evidence.
    expect(q?.raw_text?.length).toBeLessThanOrEqual(10_000);
    expect(await ingestedLines()).toEqual(['2', '4']);
    await rm(path);
  });

  describe('manifests', () => {
    it('refuses blob paths that lead out of the export folder, and reads nothing outside it', async () => {
      for (const blobName of [
        '../../secret/part_0_0001.csv',
        '/etc/passwd.csv',
        '..\\..\\secret\\part_0_0001.csv',
        'C:\\exports\\part_0_0001.csv',
        'exports/ .. /../secret/part_0_0001.csv',
      ]) {
        const root = await tempDir();
        // A valid export where the '..' path leads: before, it was ingested as this delivery's data.
        await mkdir(join(root, 'exports', 'recon-files-daily', 'secret'), { recursive: true });
        await writeFile(join(root, 'exports', 'recon-files-daily', 'secret', 'part_0_0001.csv'), TEMPLATE);
        const manifest = await manifestDelivery(root, {}, (m) => {
          m.blobs = [{ blobName, byteCount: 10, dataRowCount: 2 }];
          m.blobCount = 1;
        });
        await refused(
          [join(root, 'exports')],
          new RegExp(
            `^${escapeRegExp(manifest)}: manifest blobs\\[0\\]\\.blobName .* is refused: (it is an absolute path|it has a '\\.\\.' segment)$`,
          ),
        );
      }
    });

    it('looks for blobs only under the --exports folder, not in the folders above it', async () => {
      const root = await tempDir();
      await mkdir(join(root, 'elsewhere'), { recursive: true });
      await writeFile(join(root, 'elsewhere', 'part_0_0001.csv'), TEMPLATE);
      const manifest = await manifestDelivery(root, {}, (m) => {
        m.blobs = [{ blobName: 'elsewhere/part_0_0001.csv', byteCount: TEMPLATE.length, dataRowCount: 2 }];
      });
      await refused([join(root, 'exports')], `${manifest}: none of the manifest's blobs was found next to it`);
    });

    it('marks a delivery incomplete when a blob is missing or the counts disagree, naming each', async () => {
      const cases: [(m: ManifestJson) => void, string][] = [
        [
          (m) => {
            (m.blobs as Record<string, unknown>[]).push({ blobName: `exports/x/${RUN}/part_1_0001.csv.gz` });
            m.blobCount = 2;
          },
          `blob exports/x/${RUN}/part_1_0001.csv.gz not found`,
        ],
        [
          (m) => {
            m.dataRowCount = 9;
            (m.blobs as Record<string, unknown>[])[0] = { blobName: `exports/x/${RUN}/part_0_0001.csv` };
          },
          'manifest dataRowCount 9, read 2 data rows',
        ],
        [
          (m) => {
            (m.blobs as Record<string, unknown>[])[0] = { blobName: `exports/x/${RUN}/part_0_0001.csv`, byteCount: 1 };
          },
          `blob exports/x/${RUN}/part_0_0001.csv: manifest byteCount 1, file has ${TEMPLATE.length} bytes`,
        ],
        [
          (m) => {
            m.blobCount = 3;
          },
          'manifest blobCount 3, but blobs[] lists 1',
        ],
        [
          (m) => {
            m.byteCount = 5;
          },
          `manifest byteCount 5, files have ${TEMPLATE.length} bytes`,
        ],
      ];
      for (const [edit, reason] of cases) {
        const other = await openTestWarehouse();
        try {
          const manifest = await manifestDelivery(await tempDir(), { 'part_0_0001.csv': TEMPLATE }, edit);
          const report = await ingestExports(other, [manifest]);
          expect(report.deliveries).toMatchObject([{ isComplete: false, incompleteReason: reason, rowsRead: 2 }]);
          expect(await other.rows('select * from current_billing_line')).toEqual([]);
        } finally {
          other.close();
        }
      }
    });

    it('refuses a manifest that is not JSON, naming the line where it breaks', async () => {
      const cut = fixture('manifest-cut-off', 'manifest.json');
      const lines = (await readFile(cut, 'utf8')).split('\n');
      await refused(
        [cut],
        `${cut}: line ${lines.length}: manifest is not valid JSON at column ${(lines.at(-1) ?? '').length + 1}: the file ends early`,
      );
      const comma = await tempFile('manifest.json', '{\n  "blobs": [],\n  "blobCount": 0,\n}\n');
      await refused([comma], `${comma}: line 4: manifest is not valid JSON at column 1: unexpected "}"`);
      const text = await tempFile('manifest.json', 'Export completed.\n');
      await refused([text], `${text}: line 1: manifest is not valid JSON at column 1: unexpected "E"`);
      // A byte order mark (a Notepad re-save) is not an error.
      const withBom = await manifestDelivery(await tempDir(), { 'part_0_0001.csv': TEMPLATE });
      await writeFile(withBom, `\ufeff${await readFile(withBom, 'utf8')}`);
      expect((await ingestExports(wh, [withBom])).deliveries).toMatchObject([{ isComplete: true, rowsIngested: 2 }]);
    });

    it('refuses manifest fields of the wrong type, naming the field', async () => {
      const cases: [(m: ManifestJson) => void, string][] = [
        [(m) => (m.blobs = 'part_0_0001.csv'), 'manifest field blobs is not a list: "part_0_0001.csv"'],
        [(m) => (m.dataRowCount = '2'), 'manifest field dataRowCount is not a non-negative integer: "2"'],
        [(m) => (m.blobCount = -1), 'manifest field blobCount is not a non-negative integer: -1'],
        [
          (m) => ((m.runInfo as Record<string, unknown>).runId = 42),
          'manifest field runInfo.runId is not a string: 42',
        ],
        [
          (m) => ((m.runInfo as Record<string, unknown>).startDate = '2026-13-01T00:00:00'),
          'manifest field runInfo.startDate is not an ISO-8601 date: 2026-13-01T00:00:00',
        ],
        [(m) => (m.runInfo = ['x']), 'manifest field runInfo is not an object: ["x"]'],
        [(m) => (m.blobs = [7]), 'manifest blobs[0] is not an object: 7'],
        [(m) => (m.blobs = [{ blobName: '' }]), 'manifest blobs[0] has no blobName'],
        [
          (m) => (m.blobs = [{ blobName: 'a/part_0_0001.csv' }, { blobName: 'a/part_0_0001.csv' }]),
          'manifest blobs[1].blobName repeats blobs[0]: "a/part_0_0001.csv"',
        ],
      ];
      for (const [edit, problem] of cases) {
        const manifest = await manifestDelivery(await tempDir(), { 'part_0_0001.csv': TEMPLATE }, edit);
        await refused([manifest], `${manifest}: ${problem}`);
      }
      const notObject = await tempFile('manifest.json', '[]');
      await refused([notObject], `${notObject}: manifest is not a JSON object: []`);
    });

    it('refuses two blob names that find the same local file, instead of counting it twice', async () => {
      // Before: both were staged and the delivery failed on ingest_file's key with an internal SQL error.
      const manifest = await manifestDelivery(await tempDir(), { 'part_0_0001.csv': TEMPLATE }, (m) => {
        m.blobs = [{ blobName: 'a/part_0_0001.csv' }, { blobName: 'b/part_0_0001.csv' }];
      });
      await refused(
        [manifest],
        `${manifest}: blobs a/part_0_0001.csv and b/part_0_0001.csv both resolve to ${join(dirname(manifest), 'part_0_0001.csv')}`,
      );
    });
  });

  describe('Parquet', () => {
    async function focusParquet(dir: string): Promise<Buffer> {
      const path = join(dir, 'good.parquet');
      // Random-looking ids make real compressed pages (a constant column would be one dictionary entry).
      await wh.run(
        `copy (select '2026-10-01T00:00:00Z' as ChargePeriodStart, '2026-10-01T01:00:00Z' as ChargePeriodEnd,
                      (range % 97)::decimal(38, 28) as PricingQuantity, 1.5::decimal(18, 4) as BilledCost,
                      md5(range::varchar) as x_SkuMeterId, '1 GiB/Hour' as x_PricingUnitDescription,
                      '/subscriptions/x/providers/microsoft.storage/storageaccounts/' || md5(range::varchar) as ResourceId
               from range(20000)) to $1 (format parquet, compression snappy)`,
        [path],
      );
      return readFile(path);
    }

    it('refuses a truncated Parquet file and one whose pages are corrupt, without an internal error', async () => {
      const dir = await tempDir();
      const good = await focusParquet(dir);
      const truncated = join(dir, 'truncated.parquet');
      await writeFile(truncated, good.subarray(0, Math.floor(good.length / 2)));
      await refused(
        [truncated],
        `${truncated}: not a readable Parquet file: Invalid Input Error: No magic bytes found at end of file '${truncated}'`,
      );
      const corrupt = join(dir, 'corrupt.parquet');
      const bytes = Buffer.from(good);
      for (let i = 1024; i < bytes.length / 2; i += 3) bytes[i] = ((bytes[i] ?? 0) * 7 + 13) & 0xff;
      await writeFile(corrupt, bytes);
      await refused([corrupt], new RegExp(`^${escapeRegExp(corrupt)}: cannot read the Parquet data: .+`));
      const empty = join(dir, 'empty.parquet');
      await writeFile(empty, '');
      await refused([empty], new RegExp(`^${escapeRegExp(empty)}: not a readable Parquet file: .*too small`));
    });
  });
});

describe('bad exports through the real CLI: exit 2, a one-line message, no stack trace', () => {
  const noStack = (stderr: string): void => {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('internal');
  };

  it('stops on a truncated .csv.gz with exit 2, and the next run with good input succeeds', async () => {
    const dir = await workDir();
    await mkdir(join(dir, 'bad'));
    await writeFile(join(dir, 'bad', 'part_0_0001.csv.gz'), gzipSync(TEMPLATE).subarray(0, 200));
    const bad = await recon(['run', 'nightly', '--exports', 'bad', '--quiet'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^recon: error: \S+bad\/part_0_0001\.csv\.gz: line \d+: the gzip data ends early \(truncated \.csv\.gz file\): unexpected end of file\n$/,
    );
    noStack(bad.stderr);
    await cp(fixture('ea-template.csv'), join(dir, 'good.csv'));
    const good = await recon(['run', 'nightly', '--exports', 'good.csv', '--json'], dir);
    expect(good.code, good.stderr).toBe(0);
    expect((JSON.parse(good.stdout) as RunSummary).inputs).toMatchObject({ rows_read: 2, rows_ingested: 2 });
  });

  it('quarantines a Files charge without a ResourceId and counts it in the run summary (before: a crash in diff)', async () => {
    const dir = await workDir();
    await writeFile(join(dir, 'usage.csv'), csv(line(SNAPSHOT), line(FILES, { ResourceId: '' })));
    const result = await recon(['run', 'nightly', '--exports', 'usage.csv', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    noStack(result.stderr);
    expect((JSON.parse(result.stdout) as RunSummary).inputs).toMatchObject({
      rows_read: 2,
      rows_ingested: 1,
      rows_quarantined: 1,
    });
  });

  it('refuses a manifest whose blob path escapes the export folder', async () => {
    const dir = await workDir();
    const manifest = await manifestDelivery(dir, {}, (m) => {
      m.blobs = [{ blobName: '../../../../etc/passwd.csv' }];
    });
    const result = await recon(['run', 'nightly', '--exports', 'exports', '--quiet'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `recon: error: ${manifest}: manifest blobs[0].blobName "../../../../etc/passwd.csv" is refused: it has a '..' segment\n`,
    );
  });

  it('refuses a corrupt Parquet file with exit 2 (before: an internal SQL error with a stack trace)', async () => {
    const dir = await workDir();
    const wh = await openTestWarehouse({ migrate: false });
    const path = join(dir, 'part_0_0001.parquet');
    try {
      await wh.run(
        `copy (select '2026-10-01T00:00:00Z' as ChargePeriodStart, '2026-10-01T01:00:00Z' as ChargePeriodEnd,
                      1::decimal(38, 28) as PricingQuantity, 1.5::decimal(18, 4) as BilledCost,
                      md5(range::varchar) as x_SkuMeterId, '1 GiB/Hour' as x_PricingUnitDescription,
                      md5((range * 7)::varchar) as ResourceId
               from range(20000)) to $1 (format parquet, compression snappy)`,
        [path],
      );
    } finally {
      wh.close();
    }
    const bytes = await readFile(path);
    for (let i = 1024; i < bytes.length / 2; i += 3) bytes[i] = ((bytes[i] ?? 0) * 7 + 13) & 0xff;
    await writeFile(path, bytes);
    const result = await recon(['run', 'nightly', '--exports', path, '--quiet'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^recon: error: \S+part_0_0001\.parquet: cannot read the Parquet data: .+\n$/);
    noStack(result.stderr);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
