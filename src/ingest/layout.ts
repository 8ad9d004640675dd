// Reads what the Cost Management export folder layout says about a file that came without its manifest.
// Layouts (spec/export-formats.md §2):
//   <root>/<ExportName>/<YYYYMMDD-YYYYMMDD>/[<yyyyMMddHHmm>/][<runId>/]<file>   (Microsoft Learn, current)
//   <root>/<YYYYMMDD-YYYYMMDD>/<ExportName>/[<yyyyMMddHHmm>/][<runId>/]<file>   (FinOps hubs doc, older)
// The date range gives the billing month, the export name the scope, the export-time folder an order, and
// the run folder groups the partitions of one run. Nothing is read from file times.
import { dirname, sep } from 'node:path';

export interface ExportPathLayout {
  exportName: string;
  /** YYYY-MM of the date-range folder's start. */
  billingMonth: string;
  /** The yyyyMMddHHmm export-time folder as 'YYYY-MM-DD HH:MM:00' (UTC), when present. */
  exportTime: string | null;
  /** The run folder (a GUID), when present. */
  runId: string | null;
  /** The folder holding the file: partitions of one run share it. */
  runFolder: string;
  /** The export's folder and name: every run of one export, with or without its manifest, shares it. */
  seriesKey: string;
}

const DATE_RANGE = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/;
const EXPORT_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The layout of an absolute file path, or null when the path does not follow an export layout. */
export function parseExportPath(path: string): ExportPathLayout | null {
  const folders = dirname(path)
    .split(sep)
    .filter((segment) => segment !== '');
  let rangeAt = -1;
  for (let i = folders.length - 1; i >= 0; i--) {
    if (DATE_RANGE.test(folders[i] ?? '')) {
      rangeAt = i;
      break;
    }
  }
  if (rangeAt < 0) return null;
  const range = DATE_RANGE.exec(folders[rangeAt] ?? '');
  if (!range) return null;
  const after = folders.slice(rangeAt + 1);
  let exportName: string | undefined;
  // In the hubs layout the export name follows the date range; otherwise it precedes it.
  if (after[0] !== undefined && !EXPORT_TIME.test(after[0]) && !GUID.test(after[0])) exportName = after.shift();
  else exportName = folders[rangeAt - 1];
  if (exportName === undefined) return null;
  let exportTime: string | null = null;
  const time = EXPORT_TIME.exec(after[0] ?? '');
  if (time) {
    exportTime = `${time[1]}-${time[2]}-${time[3]} ${time[4]}:${time[5]}:00`;
    after.shift();
  }
  const runId = after[0] !== undefined && GUID.test(after[0]) ? after[0].toLowerCase() : null;
  return {
    exportName,
    billingMonth: `${range[1]}-${range[2]}`,
    exportTime,
    runId,
    runFolder: dirname(path),
    seriesKey: `${sep}${folders.slice(0, rangeAt).join(sep)}|${exportName.toLowerCase()}`,
  };
}
