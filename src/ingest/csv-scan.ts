// One streaming pass over a CSV data file's bytes (decompressed when gzip) that DuckDB cannot do for us:
// it maps each record to the physical line it starts on. DuckDB's CSV reader numbers records, not lines,
// and silently skips blank lines, so a row after a quoted multi-line Tags value or a blank line would be
// reported on the wrong line. The scan keeps O(1) state and only a sparse list of the places where the
// record→line offset changes (normally empty), so a 1 GB file needs no more JS heap than a 64 KB chunk.
// It also returns the header record (the only record JS parses) and the sha256 of the bytes as stored, and whether
// the bytes are UTF-8 (Node's native check per chunk: nothing noticeable on a clean file).
import { isUtf8 } from 'node:buffer';
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
  /** The first record's bytes (without its line break): the header, cut at HEADER_LIMIT bytes. */
  headerBytes: Buffer;
  /** False when the header record is longer than HEADER_LIMIT bytes (headerBytes is then only its start). */
  headerComplete: boolean;
  /** Records longer than MAX_RECORD_BYTES: DuckDB rejects them, often with a misleading reason. */
  overlongRecords: { ordinal: number; byteCount: number }[];
  /** The last record's ordinal when the file ends inside a quoted field (a truncated file, or a stray quote). */
  unterminatedQuoteOrdinal: number | null;
  /** The last record's ordinal when the file does not end with a line break (legal, but a cut file does too). */
  missingLineBreakOrdinal: number | null;
  /**
   * The first line whose ending DuckDB's CSV reader cannot take: a CR outside quotes that does not end a line, or
   * a record ending LF where earlier ones end CRLF (or the reverse). DuckDB refuses the whole file for either.
   */
  lineEndingProblem: { line: number; problem: string } | null;
  /**
   * False when some byte sequence is not UTF-8 (typically a Latin-1 or Windows-1252 re-save). DuckDB's reader
   * rejects such a record whole; file-ingest.ts then reads a copy with those bytes replaced by U+FFFD, so that only
   * the columns they fall in are judged (typed-select.ts).
   */
  isUtf8: boolean;
}

/**
 * How many bytes at the end of `bytes` start a UTF-8 sequence the chunk cuts off (0 to 3): they are checked with
 * the next chunk.
 */
function cutSequenceLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    if (b < 0xc0) return 0; // ASCII: nothing cut
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return length > back ? back : 0;
  }
  return 0;
}

/** Longest record DuckDB is asked to read (read_csv max_line_size); a real export row is a few KiB. */
export const MAX_RECORD_BYTES = 8 << 20;
/** Longest header record kept: a real header is under 2 KiB; anything near this is not a header. */
export const HEADER_LIMIT = 1 << 20;

// RFC-4180 states. Only quotes decide where a record ends; a quote opens a quoted field only at a field start.
const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** The scan's read size: 1 MiB reads take a 900 MB file in 0.8 s, 64 KiB ones (Node's default) in 1.7 s. */
export const SCAN_CHUNK_BYTES = 1 << 20;

export async function scanCsv(path: string, gzip: boolean): Promise<CsvScan> {
  const hash = createHash('sha256');
  let byteCount = 0;
  const raw = createReadStream(path, { highWaterMark: SCAN_CHUNK_BYTES });
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
  let chunkStart = 0; // offset of the current chunk in the (decompressed) data
  let recordStart = 0; // offset of the current record's first byte
  const overlongRecords: { ordinal: number; byteCount: number }[] = [];
  let afterCr = false; // the previous byte was a CR outside quotes
  let recordEnding: 'CRLF' | 'LF' | null = null; // how the first record ended
  let lineEndingProblem: CsvScan['lineEndingProblem'] = null;
  /** A CR outside quotes that the next byte does not make a line break (only the first such problem is kept). */
  const noteStrayCr = (): void => {
    lineEndingProblem ??= { line, problem: 'a carriage return (CR) outside quotes that does not end the line' };
  };
  let utf8 = true;
  let cut: Buffer = Buffer.alloc(0); // the start of a UTF-8 sequence the previous chunk ended in
  const checkUtf8 = (bytes: Buffer): void => {
    if (!utf8) return;
    const whole = cut.length > 0 ? Buffer.concat([cut, bytes]) : bytes;
    const keep = cutSequenceLength(whole);
    utf8 = isUtf8(keep > 0 ? whole.subarray(0, whole.length - keep) : whole);
    cut = Buffer.from(whole.subarray(whole.length - keep));
  };

  /** The record ends at offset `end` (exclusive, its line break included). */
  const endRecord = (end: number): void => {
    if (!recordHasContent) blankOrdinals.push(ordinal);
    if (end - recordStart > MAX_RECORD_BYTES) overlongRecords.push({ ordinal, byteCount: end - recordStart });
    recordStart = end;
    ordinal++;
    recordHasContent = false;
    state = State.FieldStart;
    const offset = line - ordinal; // `line` already points past the LF that ended the record
    if (offset !== lineOffset) {
      lineOffset = offset;
      lineOffsets.push({ ordinal, lineOffset });
    }
  };

  try {
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      if (!gzip) countStored(bytes);
      checkUtf8(bytes);
      let headerEnd = -1;
      for (let i = 0; i < bytes.length; i++) {
        // Most bytes change nothing but "the record has content": inside a quoted field every byte but a quote or
        // a line break, in an unquoted one every byte but a comma, CR or LF. Skip such a run in a tight loop (the
        // byte-at-a-time loop below costs ~10 ns a byte: 9 s of a 900 MB export) and take up its last byte there.
        if (state === State.Quoted) {
          let j = i;
          for (; j < bytes.length; j++) {
            const c = bytes[j] as number;
            if (c === QUOTE || c === LF) break;
          }
          if (j > i) {
            // Quoted: afterCr is false (the opening quote cleared it) and the record has content (that quote).
            i = j - 1;
            continue;
          }
        } else if (state === State.Unquoted) {
          let j = i;
          for (; j < bytes.length; j++) {
            const c = bytes[j] as number;
            if (c === COMMA || c === LF || c === CR) break;
          }
          if (j > i) {
            // Only the run's first byte can follow a CR outside quotes; none of its bytes is one.
            if (afterCr) noteStrayCr();
            afterCr = false;
            recordHasContent = true;
            i = j - 1;
            continue;
          }
        }
        const b = bytes[i] as number;
        if (afterCr && b !== LF) noteStrayCr();
        if (b === LF) {
          if (state !== State.Quoted) {
            const ending = afterCr ? 'CRLF' : 'LF';
            recordEnding ??= ending;
            if (ending !== recordEnding && lineEndingProblem === null) {
              lineEndingProblem = {
                line,
                problem: `this line ends in ${ending}, the lines before it in ${recordEnding}`,
              };
            }
          }
          afterCr = false;
          line++;
          if (state === State.Quoted) continue; // an embedded line break: the record goes on
          if (!headerDone && ordinal === 1) headerEnd = i;
          endRecord(chunkStart + i + 1);
          continue;
        }
        afterCr = b === CR && state !== State.Quoted;
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
      chunkStart += bytes.length;
      if (!headerDone) {
        const part = headerEnd >= 0 ? bytes.subarray(0, headerEnd) : bytes;
        headerChunks.push(Buffer.from(part));
        headerLength += part.length;
        if (headerEnd >= 0 || headerLength > HEADER_LIMIT) headerDone = true;
      }
    }
  } catch (error) {
    // Name the line the data broke off in: for a truncated .csv.gz, everything from there on is lost.
    throw new Error(`line ${line}: ${readFailure(error, gzip)}`, { cause: error });
  }

  if (afterCr) noteStrayCr();
  if (cut.length > 0) utf8 = false; // the data ends inside a sequence
  // A last record without a line break still counts; a file ending in a line break has no extra record.
  const lastOrdinal = recordHasContent ? ordinal : null;
  const unterminatedQuoteOrdinal = state === State.Quoted ? ordinal : null;
  if (recordHasContent) {
    if (chunkStart - recordStart > MAX_RECORD_BYTES)
      overlongRecords.push({ ordinal, byteCount: chunkStart - recordStart });
    ordinal++;
  }

  return {
    sha256: hash.digest('hex'),
    byteCount,
    recordCount: ordinal - 1,
    blankOrdinals,
    lineOffsets,
    headerBytes: Buffer.concat(headerChunks),
    headerComplete: headerLength <= HEADER_LIMIT,
    overlongRecords,
    unterminatedQuoteOrdinal,
    missingLineBreakOrdinal: lastOrdinal,
    lineEndingProblem,
    isUtf8: utf8,
  };
}

function readFailure(error: unknown, gzip: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!gzip) return `cannot read the file: ${message}`;
  if (message === 'unexpected end of file') return `the gzip data ends early (truncated .csv.gz file): ${message}`;
  if (message.includes('incorrect header check')) return `not gzip data (a plain .csv named .csv.gz?): ${message}`;
  return `cannot read the gzip data: ${message}`;
}
