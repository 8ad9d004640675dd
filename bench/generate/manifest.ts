// manifest.json in the shape Cost Management writes it (spec/export-formats.md §2): top-level byte/blob/row counts,
// exportConfig, deliveryConfig, runInfo and blobs[] with container-relative blob names.
import type { Calendar } from './calendar.ts';
import { ACCOUNT, DATASET } from './dialects.ts';
import type { Dialect } from './options.ts';
import type { BlobInfo } from './write-export.ts';

export interface RunIdentity {
  exportName: string;
  runId: string;
  submittedTime: string;
  /** container-relative folder of the run: exports/<exportName>/<YYYYMMDD-YYYYMMDD>/<runId> */
  folder: string;
}

export function exportScope(dialect: Dialect, exportName: string): string {
  const account =
    dialect === 'ea'
      ? `/providers/Microsoft.Billing/billingAccounts/${ACCOUNT.eaEnrollment}`
      : `/providers/Microsoft.Billing/billingAccounts/${ACCOUNT.mcaId}/billingProfiles/${ACCOUNT.profileId}`;
  return `${account}/providers/Microsoft.CostManagement/exports/${exportName}`;
}

export function manifestJson(
  dialect: Dialect,
  run: RunIdentity,
  calendar: Calendar,
  lastDay: number,
  gzip: boolean,
  blobs: readonly BlobInfo[],
  containerSubscription: string,
): string {
  const manifest = {
    manifestVersion: '2024-04-01',
    byteCount: blobs.reduce((sum, b) => sum + b.byteCount, 0),
    blobCount: blobs.length,
    dataRowCount: blobs.reduce((sum, b) => sum + b.dataRowCount, 0),
    exportConfig: {
      exportName: run.exportName,
      resourceId: exportScope(dialect, run.exportName),
      dataVersion: DATASET[dialect].dataVersion,
      apiVersion: '2025-03-01',
      type: DATASET[dialect].type,
      timeFrame: 'MonthToDate',
      granularity: 'Daily',
    },
    deliveryConfig: {
      partitionData: true,
      dataOverwriteBehavior: 'CreateNewReport',
      fileFormat: 'Csv',
      compressionMode: gzip ? 'gzip' : 'None',
      containerUri: `/subscriptions/${containerSubscription}/resourceGroups/rg-finops/providers/Microsoft.Storage/storageAccounts/stfinopsexports`,
      rootFolderPath: 'exports',
    },
    runInfo: {
      executionType: 'Scheduled',
      submittedTime: run.submittedTime,
      runId: run.runId,
      startDate: `${calendar.day(1).iso}T00:00:00`,
      endDate: `${calendar.day(lastDay).iso}T00:00:00Z`,
    },
    blobs: blobs.map((b) => ({
      blobName: `${run.folder}/${b.fileName}`,
      byteCount: b.byteCount,
      dataRowCount: b.dataRowCount,
    })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
