// Streaming CSV writers with backpressure. Lines are encoded straight into 256 KB buffers (the byte count comes from
// the encoder, so it is exact), a full buffer is handed to the stream and the caller awaits the drain before going
// on: memory stays flat however many rows go out, and no long string is ever built. LineFile writes one file
// (inventory, transactions); PartitionedExport splits an export into part_N_0001.csv[.gz] files that each stay
// under the size limit uncompressed, each with its header, and counts rows and bytes as written for the manifest.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

const CHUNK_BYTES = 256 * 1024;

export interface LineSink {
  /** Queues a line (without its line break); true when the caller should `await flush()` now. */
  push(line: string): boolean;
  flush(): Promise<void>;
}

/** One CSV file written line by line, optionally gzip-compressed. */
export class LineFile implements LineSink {
  private readonly file: WriteStream;
  private readonly stream: Writable;
  private readonly zip: Gzip | null;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  /** bytes before compression, queued or written */
  uncompressedBytes = 0;
  lines = 0;

  constructor(
    readonly path: string,
    private readonly newline: string,
    gzip: boolean,
  ) {
    this.file = createWriteStream(path);
    if (gzip) {
      // level 6 (zlib's default) trades speed and size like Cost Management's own gzip exports
      this.zip = createGzip();
      this.zip.pipe(this.file);
      this.stream = this.zip;
    } else {
      this.zip = null;
      this.stream = this.file;
    }
  }

  /**
   * Encodes `text` (+ the line break when `isLine`) into the current buffer. Returns false, and takes nothing back
   * out of it, when that would bring the file to `limit` bytes or more.
   */
  private append(text: string, isLine: boolean, limit: number): boolean {
    const tail = isLine ? this.newline : '';
    const worst = (text.length + tail.length) * 3; // UTF-8: at most 3 bytes per UTF-16 unit
    if (this.used + worst > this.chunk.length) {
      if (this.used > 0) this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, worst));
      this.used = 0;
    }
    let bytes = this.chunk.write(text, this.used);
    if (tail !== '') bytes += this.chunk.write(tail, this.used + bytes);
    if (this.uncompressedBytes + bytes >= limit) return false;
    this.used += bytes;
    this.uncompressedBytes += bytes;
    if (isLine) this.lines++;
    return true;
  }

  push(line: string): boolean {
    this.append(line, true, Number.POSITIVE_INFINITY);
    return this.ready.length > 0;
  }

  /** Queues a line only if the file stays below `limit` bytes; false (nothing queued) otherwise. */
  pushBelow(line: string, limit: number): boolean {
    return this.append(line, true, limit);
  }

  /** Queues text that is not a line (a byte order mark). */
  pushRaw(text: string): void {
    this.append(text, false, Number.POSITIVE_INFINITY);
  }

  get needsFlush(): boolean {
    return this.ready.length > 0;
  }

  async flush(): Promise<void> {
    while (this.ready.length > 0) {
      const buffer = this.ready.shift() as Buffer;
      if (!this.stream.write(buffer)) await once(this.stream, 'drain');
    }
  }

  /** Flushes, closes and returns the bytes as stored on disk. */
  async close(): Promise<number> {
    if (this.used > 0) this.ready.push(this.chunk.subarray(0, this.used));
    this.used = 0;
    await this.flush();
    this.stream.end();
    await finished(this.file);
    const written = this.zip ? this.zip.bytesWritten : this.file.bytesWritten;
    if (written !== this.uncompressedBytes) {
      throw new Error(`${this.path}: counted ${this.uncompressedBytes} bytes but ${written} were written`);
    }
    return this.file.bytesWritten;
  }
}

export interface BlobInfo {
  /** local file */
  path: string;
  fileName: string;
  /** bytes as stored (compressed for .gz) */
  byteCount: number;
  uncompressedBytes: number;
  dataRowCount: number;
}

/** An export run folder's partitions: part_0_0001.csv, part_1_0001.csv, … */
export class PartitionedExport implements LineSink {
  private current: LineFile | null = null;
  private pending: string | null = null;
  private readonly blobs: BlobInfo[] = [];

  constructor(
    private readonly dir: string,
    private readonly header: string,
    private readonly bom: boolean,
    private readonly gzip: boolean,
    private readonly limitBytes: number,
  ) {}

  private open(): LineFile {
    const fileName = `part_${this.blobs.length}_0001.csv${this.gzip ? '.gz' : ''}`;
    const file = new LineFile(join(this.dir, fileName), '\r\n', this.gzip);
    if (this.bom) file.pushRaw('\ufeff');
    if (!file.pushBelow(this.header, this.limitBytes)) {
      throw new Error(`partition limit of ${this.limitBytes} bytes is below the header's size`);
    }
    // the header is a line of the file, not a data row
    file.lines = 0;
    return file;
  }

  private async rotate(): Promise<void> {
    if (!this.current) return;
    const file = this.current;
    this.current = null;
    const byteCount = await file.close();
    this.blobs.push({
      path: file.path,
      fileName: file.path.slice(this.dir.length + 1),
      byteCount,
      uncompressedBytes: file.uncompressedBytes,
      dataRowCount: file.lines,
    });
  }

  /** Queues a data row; true when the caller must `await flush()` before the next one (a buffer is full, or the
   *  row starts a new partition because this one would reach the size limit). */
  push(line: string): boolean {
    this.current ??= this.open();
    // strictly below the limit: a partition never reaches it (a first row always goes in)
    if (this.current.lines === 0) this.current.push(line);
    else if (!this.current.pushBelow(line, this.limitBytes)) {
      this.pending = line;
      return true;
    }
    return this.current.needsFlush;
  }

  async flush(): Promise<void> {
    if (this.pending !== null) {
      const line = this.pending;
      this.pending = null;
      await this.rotate();
      this.current = this.open();
      this.current.push(line);
    }
    await this.current?.flush();
  }

  /** Closes the last partition; an export without rows still has one partition with just the header. */
  async close(): Promise<BlobInfo[]> {
    await this.flush();
    this.current ??= this.open();
    await this.rotate();
    return this.blobs;
  }
}
