// One streaming pass over a CSV data file's bytes (decompressed when gzip) that DuckDB cannot do for us:
// it maps each record to the physical line it starts on. DuckDB's CSV reader numbers records, not lines,
// and silently skips blank lines, so a row after a quoted multi-line Tags value or a blank line would be
// reported on the wrong line. The scan keeps O(1) state and only a sparse list of the places where the
// record→line offset changes (normally empty), so a 1 GB file needs no more JS heap than a 64 KB chunk.
// It also returns the header record (the only record JS parses) and the sha256 of the bytes as stored.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** From `ordinal` on, record n starts on physical line n + lineOffset (until the next change point). */
export interface LineOffsetChange {
  ordinal: number;
  lineOffset: number;
}

export interface CsvScan {
  /** sha256 (hex) of the file's bytes as stored (compressed, for .gz). */
  sha256: string;
  /** Bytes as stored. */
  byteCount: number;
  /** Records counted the way DuckDB numbers them: every record, header and blank lines included. */
  recordCount: number;
  /** Ordinals (1-based) of blank records: lines with nothing but a CR. DuckDB skips them. */
  blankOrdinals: number[];
  /** Sparse record→line map; the first entry is always { ordinal: 1, lineOffset: 0 }. */
  lineOffsets: LineOffsetChange[];
  /** The first record's bytes (without its line break): the header. */
  headerBytes: Buffer;
}

// RFC-4180 states. Only quotes decide where a record ends; a quote opens a quoted field only at a field start.
const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

const HEADER_LIMIT = 1 << 20;

export async function scanCsv(path: string, gzip: boolean): Promise<CsvScan> {
  const hash = createHash('sha256');
  let byteCount = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 16 });
  const countStored = (bytes: Buffer): void => {
    hash.update(bytes);
    byteCount += bytes.length;
  };
  let source: Readable = raw;
  if (gzip) {
    // The hash is of the stored (compressed) bytes; the scan runs on the decompressed ones.
    raw.on('data', (chunk) => {
      countStored(chunk as Buffer);
    });
    source = raw.pipe(createGunzip());
    raw.on('error', (error) => source.destroy(error));
  }

  let state = State.FieldStart;
  let line = 1; // physical line of the current byte
  let ordinal = 1; // record number of the current record
  let recordHasContent = false; // any byte other than CR seen in this record
  let lineOffset = 0;
  const lineOffsets: LineOffsetChange[] = [{ ordinal: 1, lineOffset: 0 }];
  const blankOrdinals: number[] = [];
  const headerChunks: Buffer[] = [];
  let headerLength = 0;
  let headerDone = false;

  const endRecord = (): void => {
    if (!recordHasContent) blankOrdinals.push(ordinal);
    ordinal++;
    recordHasContent = false;
    state = State.FieldStart;
    const offset = line - ordinal; // `line` already points past the LF that ended the record
    if (offset !== lineOffset) {
      lineOffset = offset;
      lineOffsets.push({ ordinal, lineOffset });
    }
  };

  for await (const chunk of source) {
    const bytes = chunk as Buffer;
    if (!gzip) countStored(bytes);
    let headerEnd = -1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === LF) {
        line++;
        if (state === State.Quoted) continue; // an embedded line break: the record goes on
        if (!headerDone && ordinal === 1) headerEnd = i;
        endRecord();
        continue;
      }
      if (b !== CR) recordHasContent = true;
      switch (state) {
        case State.FieldStart:
          state = b === QUOTE ? State.Quoted : b === COMMA || b === CR ? State.FieldStart : State.Unquoted;
          break;
        case State.Unquoted:
          if (b === COMMA) state = State.FieldStart;
          break;
        case State.Quoted:
          if (b === QUOTE) state = State.QuoteInQuoted;
          break;
        case State.QuoteInQuoted:
          // `""` is an escaped quote; anything else closes the field (junk after the close stays unquoted).
          state = b === QUOTE ? State.Quoted : b === COMMA ? State.FieldStart : State.Unquoted;
          break;
      }
    }
    if (!headerDone) {
      const part = headerEnd >= 0 ? bytes.subarray(0, headerEnd) : bytes;
      headerChunks.push(Buffer.from(part));
      headerLength += part.length;
      if (headerEnd >= 0 || headerLength > HEADER_LIMIT) headerDone = true;
    }
  }
  // A last record without a line break still counts; a file ending in a line break has no extra record.
  if (recordHasContent) ordinal++;

  return {
    sha256: hash.digest('hex'),
    byteCount,
    recordCount: ordinal - 1,
    blankOrdinals,
    lineOffsets,
    headerBytes: Buffer.concat(headerChunks),
  };
}
