// Content fingerprints for delivery ids: sha256 of a file's bytes as stored, streamed (constant memory).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileHash {
  sha256: string;
  byteCount: number;
}

export async function hashFile(path: string): Promise<FileHash> {
  const hash = createHash('sha256');
  let byteCount = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    byteCount += bytes.length;
  }
  return { sha256: hash.digest('hex'), byteCount };
}

/** A stable id from parts: sha256 of the parts joined by NUL (none of them can contain one). */
export function stableId(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
