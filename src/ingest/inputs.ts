// Turns the --exports arguments (files, manifest.json files, folders searched recursively) into deliveries:
// each manifest with its blobs resolved to local files, and the data files no manifest references.
// What a folder search never reads as an export: hidden files and folders ('.*', which covers macOS AppleDouble
// '._*' files and .DS_Store), the run's own --out folder and any folder holding recon's outputs. Symbolic links
// are followed when their real path stays inside the folder searched, each real file read once; a link leading
// out of it is skipped with a warning naming it.
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import { parseExportPath, type ExportPathLayout } from './layout.ts';
import { isManifestPath, readManifest, type Manifest } from './manifest.ts';

export type FileFormat = 'csv' | 'csv.gz' | 'parquet';

export function formatOf(path: string): FileFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.csv.gz')) return 'csv.gz';
  if (lower.endsWith('.parquet')) return 'parquet';
  return null;
}

export interface PlannedBlob {
  blobName: string;
  /** Local file, or null when it was not found. */
  path: string | null;
  format: FileFormat | null;
  expectedBytes: number | null;
  expectedRows: number | null;
}

export interface ManifestDelivery {
  kind: 'manifest';
  sourcePath: string;
  manifest: Manifest;
  blobs: PlannedBlob[];
}

export interface LooseDelivery {
  kind: 'loose';
  sourcePath: string;
  files: { path: string; format: FileFormat }[];
  layout: ExportPathLayout | null;
  /** The export scope of the manifests of the same export, when its folders also hold manifests. */
  scope: string | null;
}

export type PlannedDelivery = ManifestDelivery | LooseDelivery;

export interface DeliveryPlan {
  deliveries: PlannedDelivery[];
  /** Things the user must know: links skipped, the same file twice, files no manifest lists. */
  warnings: string[];
  /** What was left out on purpose (hidden files, recon's outputs), for the progress log. */
  notes: string[];
}

/** The export scope of a manifest's delivery: exportConfig.resourceId, else the export's name. */
export function manifestScope(m: Manifest): string {
  const layout = parseExportPath(m.path);
  return m.resourceId?.toLowerCase() ?? `export:${(m.exportName ?? layout?.exportName ?? m.path).toLowerCase()}`;
}

/** Files recon writes to --out; a folder holding both is recon's output, not an export. */
const RECON_OUTPUT_MARKERS = ['summary.json', 'findings.json'];

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

interface Walk {
  root: string;
  realRoot: string;
  exclude: readonly string[];
  seenDirs: Set<string>;
  seenFiles: Set<string>;
  hidden: string[];
  warnings: string[];
  notes: string[];
}

async function kindOf(path: string): Promise<'file' | 'folder'> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'folder';
    if (info.isFile()) return 'file';
  } catch (error) {
    throw new InputError(`${path}: cannot read export input: ${errorMessage(error)}`);
  }
  throw new InputError(`${path}: export input is neither a file nor a folder`);
}

async function listFiles(folder: string, walk: Walk): Promise<string[]> {
  const real = await realpath(folder).catch(() => folder);
  if (walk.seenDirs.has(real)) return [];
  walk.seenDirs.add(real);
  if (walk.exclude.includes(real)) {
    walk.notes.push(`${folder}: the run's --out folder, not read as exports`);
    return [];
  }
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot read folder: ${errorMessage(error)}`);
  }
  const names = new Set(entries.map((e) => e.name));
  if (RECON_OUTPUT_MARKERS.every((m) => names.has(m))) {
    walk.notes.push(`${folder}: recon's own output folder (${RECON_OUTPUT_MARKERS.join(', ')}), not read as exports`);
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    if (entry.name.startsWith('.')) {
      walk.hidden.push(path);
      continue;
    }
    let kind: 'folder' | 'file' | null = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : null;
    let target = path;
    if (entry.isSymbolicLink()) {
      target = await realpath(path).catch(() => '');
      if (target === '') {
        walk.warnings.push(`${path}: broken symbolic link, skipped`);
        continue;
      }
      if (!isInside(target, walk.realRoot)) {
        walk.warnings.push(`${path}: symbolic link to ${target}, outside ${walk.root}: skipped`);
        continue;
      }
      const info = await stat(path);
      kind = info.isDirectory() ? 'folder' : info.isFile() ? 'file' : null;
    }
    if (kind === 'folder') files.push(...(await listFiles(path, walk)));
    else if (kind === 'file') {
      const realFile = entry.isSymbolicLink() ? target : await realpath(path).catch(() => path);
      // One real file reached by two paths (a linked run folder) is read once.
      if (walk.seenFiles.has(realFile)) continue;
      walk.seenFiles.add(realFile);
      files.push(path);
    }
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Where a manifest's blob is on disk. blobName is container-relative ('dir/Export/20250301-20250331/<run>/part_0_0001.csv',
 * sometimes with stray spaces); the local copy may hold the container, the export root or just the run folder.
 * Try the longest tail of the blob path first, under the manifest's folder and then each folder above it up to
 * `root`, the --exports folder it was found in: nothing outside what the user named is read. (readManifest has
 * already refused '..' segments and absolute paths.)
 */
async function resolveBlob(manifestPath: string, blobName: string, root: string): Promise<string | null> {
  const found = await findBlob(manifestPath, blobName, root);
  if (found === null) return null;
  // A blob reached through a symbolic link must still be under what the user named; its content is not shown.
  const [real, realRoot] = await Promise.all([realpath(found), realpath(root).catch(() => root)]);
  if (!isInside(real, realRoot)) {
    throw new InputError(
      `${manifestPath}: blob ${blobName.trim()} is ${found}, a link whose real path is outside ${root}: refused`,
    );
  }
  return found;
}

async function findBlob(manifestPath: string, blobName: string, root: string): Promise<string | null> {
  const segments = blobName
    .split('/')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const folders: string[] = [];
  for (let folder = dirname(manifestPath); folders.length < 8; folder = dirname(folder)) {
    folders.push(folder);
    if (folder === root || dirname(folder) === folder) break;
  }
  for (let drop = 0; drop < segments.length; drop++) {
    const tail = segments.slice(drop);
    for (const folder of folders) {
      const candidate = join(folder, ...tail);
      if (await isFile(candidate)) return candidate;
    }
  }
  return null;
}

async function planManifest(path: string, root: string): Promise<ManifestDelivery> {
  const manifest = await readManifest(path);
  const blobs: PlannedBlob[] = [];
  for (const blob of manifest.blobs) {
    const format = formatOf(blob.blobName);
    if (format === null) {
      throw new InputError(`${path}: blob ${blob.blobName} is not a .csv, .csv.gz or .parquet file`);
    }
    const local = await resolveBlob(path, blob.blobName, root);
    // Two blob names that end alike can find one local file; reading it twice would count its rows twice.
    const twin = local === null ? undefined : blobs.find((b) => b.path === local);
    if (twin) {
      throw new InputError(`${path}: blobs ${twin.blobName} and ${blob.blobName} both resolve to ${local ?? ''}`);
    }
    blobs.push({
      blobName: blob.blobName,
      path: local,
      format,
      expectedBytes: blob.byteCount,
      expectedRows: blob.dataRowCount,
    });
  }
  return { kind: 'manifest', sourcePath: path, manifest, blobs };
}

export async function planDeliveries(
  inputs: readonly string[],
  options: { exclude?: readonly string[] } = {},
): Promise<DeliveryPlan> {
  // Each manifest with the input it came from: its blobs are looked for only under that input.
  const manifests = new Map<string, string>();
  const dataFiles = new Set<string>();
  const warnings: string[] = [];
  const notes: string[] = [];
  const exclude = await Promise.all((options.exclude ?? []).map((p) => realpath(resolve(p)).catch(() => resolve(p))));
  const seenFiles = new Set<string>();
  for (const input of inputs) {
    const path = resolve(input);
    if ((await kindOf(path)) === 'folder') {
      const realRoot = await realpath(path).catch(() => path);
      const walk: Walk = { root: path, realRoot, exclude, seenDirs: new Set(), seenFiles, hidden: [], warnings, notes };
      const found = await listFiles(path, walk);
      if (walk.hidden.length > 0) {
        const shown = walk.hidden.slice(0, 3).map((h) => relative(path, h));
        const more = walk.hidden.length > 3 ? ` and ${walk.hidden.length - 3} more` : '';
        notes.push(`${path}: skipped ${walk.hidden.length} hidden files or folders (${shown.join(', ')}${more})`);
      }
      for (const file of found) {
        if (isManifestPath(file)) manifests.set(file, path);
        else if (formatOf(file) !== null) dataFiles.add(file);
      }
    } else if (isManifestPath(path)) manifests.set(path, dirname(path));
    else if (formatOf(path) !== null) dataFiles.add(path);
    else throw new InputError(`${input}: unknown export file type (expected .csv, .csv.gz, .parquet or manifest.json)`);
  }

  const deliveries: PlannedDelivery[] = [];
  const referenced = new Set<string>();
  // Each export (folder and name) whose runs have manifests, with its scope: its loose files join that series.
  const manifestSeries = new Map<string, string>();
  for (const [path, root] of [...manifests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const planned = await planManifest(path, root);
    for (const blob of planned.blobs) if (blob.path) referenced.add(blob.path);
    const layout = parseExportPath(path);
    if (layout) manifestSeries.set(layout.seriesKey, manifestScope(planned.manifest));
    deliveries.push(planned);
  }

  // Loose files: one delivery each, except that the partitions of one run folder of the export layout are
  // one delivery (a run without its manifest still wrote its data as several part files).
  // A .csv.gz next to the .csv of the same name is the same file twice: it becomes a delivery of its own in the
  // same series, so each usage day counts from one of them only.
  const groups = new Map<string, { files: { path: string; format: FileFormat }[]; layout: ExportPathLayout | null }>();
  for (const path of [...dataFiles].sort()) {
    if (referenced.has(path)) continue;
    const format = formatOf(path);
    if (format === null) continue;
    const twin = format === 'csv.gz' && dataFiles.has(path.slice(0, -3));
    if (twin) {
      warnings.push(
        `${path.slice(0, -3)} and ${path}: the same export file twice (plain and gzip); each usage day counts once`,
      );
    }
    const layout = parseExportPath(path);
    const key = layout && !twin ? `run:${layout.runFolder}` : `file:${path}`;
    const group = groups.get(key) ?? { files: [], layout };
    group.files.push({ path, format });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const first = group.files[0];
    if (!first) continue;
    const sourcePath = group.files.length === 1 ? first.path : dirname(first.path);
    const scope = group.layout ? (manifestSeries.get(group.layout.seriesKey) ?? null) : null;
    if (scope !== null) {
      warnings.push(
        `${sourcePath}: export data no manifest.json lists, in the folders of an export whose runs have manifests: ` +
          'it counts only for usage days no manifest delivery bills',
      );
    }
    deliveries.push({ kind: 'loose', sourcePath, files: group.files, layout: group.layout, scope });
  }
  return { deliveries, warnings, notes };
}
