// Finds the inventory / transactions files behind the paths a user gives, and the observation time a path
// carries (inventory/2024-03-01T00-00Z/shares.json). Files only: no SQL, no parsing of contents.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, errorMessage } from '../errors.ts';

/**
 * Every file under `inputs` whose extension is one of `extensions` (lower-case, with the dot). A file named
 * explicitly is taken whatever its extension; folders are searched recursively, in name order, skipping hidden
 * entries. Paths come back absolute and without duplicates, in the order given. A folder without any such file
 * is an InputError: an empty inventory would make every charge unverifiable without saying why.
 */
export async function listInputFiles(
  inputs: readonly string[],
  extensions: readonly string[],
  what: string,
): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };
  for (const input of inputs) {
    const path = resolve(input);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new InputError(`${what} input ${input}: cannot read it (${errorMessage(error)})`);
    }
    if (info.isDirectory()) {
      const found = await walk(path, extensions);
      if (found.length === 0) {
        throw new InputError(`${what} input ${input}: the folder holds no ${extensions.join(' or ')} files`);
      }
      for (const file of found) add(file);
    } else {
      add(path);
    }
  }
  return files;
}

async function walk(folder: string, extensions: readonly string[]): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, extensions)));
    else if (entry.isFile() && extensions.includes(extname(entry.name).toLowerCase())) files.push(path);
  }
  return files;
}

// 2024-03-01, 2024-03-01T00-00Z, 2024-03-01T00:00:00Z, 2024-03-01_0200, 20240301T0000Z is not accepted (ambiguous
// with other digit runs). Colons are optional because Windows file names cannot hold them.
const PATH_TIME = /(?<![0-9])(\d{4})-(\d{2})-(\d{2})(?:[T_ ](\d{2})[-:]?(\d{2})(?:[-:]?(\d{2}))?Z?)?(?![0-9])/;

/**
 * The observation time a path gives: the timestamp in the file name, else in the nearest folder name that has
 * one, as an ISO-8601 UTC string; undefined when no component has one.
 */
export function observationTimeFromPath(path: string): string | undefined {
  let current = resolve(path);
  for (;;) {
    const time = timeInName(basename(current));
    if (time !== undefined) return time;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function timeInName(name: string): string | undefined {
  const match = PATH_TIME.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}Z`;
  // reject 2024-02-30 or 25:00: a real date round-trips through Date unchanged
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== iso.replace('Z', '.000Z')) return undefined;
  return iso;
}
