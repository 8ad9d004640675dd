// Azure's terms for where a charge came from and when, for the dispute letter and `recon explain`: the export's
// file as a path in the export's folder, and the billing period's usage days.
/**
 * A billed line's file as Azure's export wrote it: the path from the export's folder on (the export name is the
 * last segment of its scope, e.g. `recon-files-daily/20261001-20261031/<run id>/part_0_0001.csv`), so the letter
 * names the blob Microsoft can find and never a path on the analyst's machine. Else the file name alone.
 */
export function exportRelativePath(file: string, exportScopes: readonly string[]): string {
  const segments = file.split(/[\\/]/).filter((segment) => segment !== '');
  for (const scope of exportScopes) {
    const name = scope
      .split('/')
      .filter((segment) => segment !== '')
      .at(-1)
      ?.toLowerCase();
    const at = name === undefined ? -1 : segments.findLastIndex((segment) => segment.toLowerCase() === name);
    if (at >= 0) return segments.slice(at).join('/');
  }
  return segments.at(-1) ?? file;
}

/** The usage days of a YYYY-MM billing period: 'usage days 2026-10-01 to 2026-10-31'. */
export function periodText(month: string): string {
  const [year = 0, monthNumber = 1] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `usage days ${month}-01 to ${month}-${String(lastDay).padStart(2, '0')}`;
}
