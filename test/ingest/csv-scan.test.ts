import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCAN_CHUNK_BYTES, scanCsv } from '../../src/ingest/csv-scan.ts';
import { parseHeader } from '../../src/ingest/header.ts';
import { oracleScan } from './csv-scan-oracle.ts';

async function scan(text: string, gzip = false) {
  const dir = await mkdtemp(join(tmpdir(), 'recon-scan-'));
  const path = join(dir, gzip ? 'f.csv.gz' : 'f.csv');
  await writeFile(path, gzip ? gzipSync(Buffer.from(text)) : text);
  return scanCsv(path, gzip);
}

describe('scanCsv: record → physical line map', () => {
  it('counts records like DuckDB and records where lines run ahead of records', async () => {
    // records: 1 header (line 1); 2 (lines 2-3); 3 blank (line 4); 4 (line 5); 5 (lines 6-8); 6 (line 9, no final break)
    const result = await scan('\ufeffa,b,c\r\n1,"x\r\ny",3\r\n\r\n2,"p""q",4\r\n5,"z\n\nw",9\r\n6,,1');
    expect(result.recordCount).toBe(6);
    expect(result.blankOrdinals).toEqual([3]);
    expect(result.lineOffsets).toEqual([
      { ordinal: 1, lineOffset: 0 },
      { ordinal: 3, lineOffset: 1 },
      { ordinal: 6, lineOffset: 3 },
    ]);
    expect(parseHeader('f.csv', result.headerBytes)).toEqual(['a', 'b', 'c']);
  });

  it('treats a quote inside an unquoted field as text, not as an opening quote', async () => {
    const result = await scan('a,b\n5" disk,1\n2,3\n');
    expect(result.recordCount).toBe(3);
    expect(result.lineOffsets).toEqual([{ ordinal: 1, lineOffset: 0 }]);
  });

  it('scans the decompressed bytes of a gzip file and hashes the stored ones', async () => {
    const plain = await scan('a,b\n1,"x\ny"\n');
    const zipped = await scan('a,b\n1,"x\ny"\n', true);
    expect(zipped.recordCount).toBe(2);
    expect(zipped.lineOffsets).toEqual(plain.lineOffsets);
    expect(zipped.sha256).not.toBe(plain.sha256);
    expect(zipped.byteCount).toBe(gzipSync(Buffer.from('a,b\n1,"x\ny"\n')).length);
  });

  it('agrees with the byte-at-a-time oracle on any bytes, across a chunk boundary', async () => {
    // Fields, quotes, escaped quotes, stray CRs and both line endings; a long first field puts what follows on
    // either side of the first chunk's end, inside or outside quotes.
    const piece = fc.constantFrom('a', 'bc', ',', '"', '""', '\r', '\n', '\r\n', 'é', ' ');
    const near = SCAN_CHUNK_BYTES - 6;
    const lead = fc.constantFrom('', 'x'.repeat(near), `"${'q'.repeat(near)}`, `"${'q\n'.repeat(near / 2)}`);
    await fc.assert(
      fc.asyncProperty(lead, fc.array(piece, { maxLength: 40 }), async (start, pieces) => {
        const text = start + pieces.join('');
        const got = await scan(text);
        const want = oracleScan(Buffer.from(text));
        expect({
          recordCount: got.recordCount,
          blankOrdinals: got.blankOrdinals,
          lineOffsets: got.lineOffsets,
          unterminatedQuoteOrdinal: got.unterminatedQuoteOrdinal,
          missingLineBreakOrdinal: got.missingLineBreakOrdinal,
          lineEndingProblem: got.lineEndingProblem,
        }).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('reads quoted header names with embedded commas and quotes', () => {
    expect(parseHeader('f.csv', Buffer.from('"Cost, USD","a""b",Tags\r'))).toEqual(['Cost, USD', 'a"b', 'Tags']);
  });
});

describe('scanCsv: UTF-8 check', () => {
  const CHUNK = SCAN_CHUNK_BYTES; // the scan's read size
  it('takes UTF-8 characters cut by a chunk boundary, in plain and gzip files', async () => {
    for (const width of [1, 2, 3]) {
      // a 4-byte character (😀) and a 2-byte one (é) starting `width` bytes before the end of the first chunk
      const text = `a,b\n${'x'.repeat(CHUNK - 4 - width)},😀é\n`;
      expect((await scan(text)).isUtf8).toBe(true);
      expect((await scan(text, true)).isUtf8).toBe(true);
    }
  });

  it('finds a Latin-1 byte anywhere, and a file ending inside a character', async () => {
    const latin1 = Buffer.concat([Buffer.from(`a,b\n${'x'.repeat(CHUNK)},`), Buffer.from([0xe9]), Buffer.from('\n')]);
    const dir = await mkdtemp(join(tmpdir(), 'recon-scan-'));
    await writeFile(join(dir, 'l.csv'), latin1);
    expect((await scanCsv(join(dir, 'l.csv'), false)).isUtf8).toBe(false);
    await writeFile(join(dir, 'cut.csv'), Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xc3])]));
    expect((await scanCsv(join(dir, 'cut.csv'), false)).isUtf8).toBe(false);
    expect((await scan('a,b\n1,é\n')).isUtf8).toBe(true);
  });
});
