// Pay-as-you-go transaction categories (spec/billing-rules.md §4, "Transaction categories"): which meter bucket
// each Azure Files API name is billed on. Delete is billed on the transaction-optimized 'Delete Operations' meter
// (10K, priced 0; hot and cool have no delete meter).
// Kept as data so the table can be read against the spec line by line.

export type TransactionBucket = 'write' | 'list' | 'read' | 'other' | 'delete';

const CATEGORY_TABLE: Record<TransactionBucket, { management: string[]; data: string[] }> = {
  write: {
    management: [
      'CreateShare',
      'SetFileServiceProperties',
      'SetShareMetadata',
      'SetShareProperties',
      'SetShareAcl',
      'SnapshotShare',
      'RestoreShare',
    ],
    data: [
      'CopyFile',
      'Create',
      'CreateDirectory',
      'CreateFile',
      'PutRange',
      'PutRangeFromURL',
      'SetDirectoryMetadata',
      'SetFileMetadata',
      'SetFileProperties',
      'SetInfo',
      'Write',
      'PutFilePermission',
      'Flush',
      'SetDirectoryProperties',
    ],
  },
  list: { management: ['ListShares'], data: ['ListFileRanges', 'ListFiles', 'ListHandles'] },
  read: {
    management: ['GetFileServiceProperties', 'GetShareAcl', 'GetShareMetadata', 'GetShareProperties', 'GetShareStats'],
    data: [
      'FilePreflightRequest',
      'GetDirectoryMetadata',
      'GetDirectoryProperties',
      'GetFile',
      'GetFileCopyInformation',
      'GetFileMetadata',
      'GetFileProperties',
      'QueryDirectory',
      'QueryInfo',
      'Read',
      'GetFilePermission',
    ],
  },
  other: {
    management: ['AcquireShareLease', 'BreakShareLease', 'ReleaseShareLease', 'RenewShareLease', 'ChangeShareLease'],
    data: [
      'AbortCopyFile',
      'Cancel',
      'ChangeNotify',
      'Close',
      'Echo',
      'Ioctl',
      'Lock',
      'Logoff',
      'Negotiate',
      'OplockBreak',
      'SessionSetup',
      'TreeConnect',
      'TreeDisconnect',
      'CloseHandles',
      'AcquireFileLease',
      'BreakFileLease',
      'ChangeFileLease',
      'ReleaseFileLease',
    ],
  },
  delete: { management: ['DeleteShare'], data: ['ClearRange', 'DeleteDirectory', 'DeleteFile'] },
};

/** Meter key each bucket is charged on. */
export const BUCKET_METER = {
  write: 'payg.write_ops',
  list: 'payg.list_ops',
  read: 'payg.read_ops',
  other: 'payg.other_ops',
  delete: 'payg.delete_ops',
} as const satisfies Record<TransactionBucket, string>;

/** Transactions per billed unit of a 10K meter. */
export const TRANSACTIONS_PER_BUCKET = 10_000;

const BY_API_NAME = new Map<string, TransactionBucket>(
  (Object.entries(CATEGORY_TABLE) as [TransactionBucket, { management: string[]; data: string[] }][]).flatMap(
    ([bucket, names]) => [...names.management, ...names.data].map((name) => [name.toLowerCase(), bucket] as const),
  ),
);

/** The bucket of an API name (case-insensitive), or undefined for a name the table does not know. */
export function bucketOfApiName(apiName: string): TransactionBucket | undefined {
  return BY_API_NAME.get(apiName.trim().toLowerCase());
}

/** Every (api_name, bucket) pair, e.g. to load into a SQL table. */
export function apiNameBuckets(): { apiName: string; bucket: TransactionBucket }[] {
  return (Object.entries(CATEGORY_TABLE) as [TransactionBucket, { management: string[]; data: string[] }][]).flatMap(
    ([bucket, names]) => [...names.management, ...names.data].map((apiName) => ({ apiName, bucket })),
  );
}
