// The test oracle for src/ingest/csv-scan.ts: the same RFC-4180 state machine, one byte at a time over one buffer,
// with nothing skipped and no chunks. scanCsv must agree with it on every input (csv-scan.test.ts, property test).
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export interface OracleScan {
  recordCount: number;
  blankOrdinals: number[];
  lineOffsets: { ordinal: number; lineOffset: number }[];
  unterminatedQuoteOrdinal: number | null;
  missingLineBreakOrdinal: number | null;
  lineEndingProblem: { line: number; problem: string } | null;
}

export function oracleScan(bytes: Buffer): OracleScan {
  type State = 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted';
  let state: State = 'start';
  let line = 1;
  let ordinal = 1;
  let content = false;
  let lineOffset = 0;
  const lineOffsets = [{ ordinal: 1, lineOffset: 0 }];
  const blankOrdinals: number[] = [];
  let afterCr = false;
  let ending: 'CRLF' | 'LF' | null = null;
  let problem: OracleScan['lineEndingProblem'] = null;
  const strayCr = 'a carriage return (CR) outside quotes that does not end the line';
  for (const b of bytes) {
    if (afterCr && b !== LF) problem ??= { line, problem: strayCr };
    if (b === LF) {
      if (state !== 'quoted') {
        const this_ = afterCr ? 'CRLF' : 'LF';
        ending ??= this_;
        if (this_ !== ending)
          problem ??= { line, problem: `this line ends in ${this_}, the lines before it in ${ending}` };
      }
      afterCr = false;
      line++;
      if (state === 'quoted') continue;
      if (!content) blankOrdinals.push(ordinal);
      ordinal++;
      content = false;
      state = 'start';
      if (line - ordinal !== lineOffset) {
        lineOffset = line - ordinal;
        lineOffsets.push({ ordinal, lineOffset });
      }
      continue;
    }
    afterCr = b === CR && state !== 'quoted';
    if (b !== CR) content = true;
    if (state === 'start') state = b === QUOTE ? 'quoted' : b === COMMA || b === CR ? 'start' : 'unquoted';
    else if (state === 'unquoted') state = b === COMMA ? 'start' : 'unquoted';
    else if (state === 'quoted') state = b === QUOTE ? 'quote-in-quoted' : 'quoted';
    else state = b === QUOTE ? 'quoted' : b === COMMA ? 'start' : 'unquoted';
  }
  if (afterCr) problem ??= { line, problem: strayCr };
  const last = content ? ordinal : null;
  return {
    recordCount: content ? ordinal : ordinal - 1,
    blankOrdinals,
    lineOffsets,
    unterminatedQuoteOrdinal: state === 'quoted' ? ordinal : null,
    missingLineBreakOrdinal: last,
    lineEndingProblem: problem,
  };
}
