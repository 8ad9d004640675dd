// answers.json: every planted discrepancy with the finding recon must report for it (kind, billing_resource_id as
// recon keys it — lower case —, meter key or null, usage_date), the generation parameters and counts.
import type { ResolvedOptions } from './options.ts';
import type { Answer, FindingKind, PlantBook } from './plants.ts';

export const ANSWERS_VERSION = 1;

export interface AnswerCounts {
  shares: number;
  billingResources: number;
  diskSnapshots: number;
  shareDays: number;
  filesRows: number;
  noiseRows: number;
  totalRows: number;
  partitions: number;
  inventoryRows: number;
  transactionRows: number;
}

export interface AnswersFile {
  version: number;
  generator: string;
  parameters: {
    month: string;
    days: number;
    shares: number;
    rows: number;
    dialect: string;
    gzip: boolean;
    partitionMb: number;
    changes: string;
    seed: number;
    plant: boolean;
  };
  counts: AnswerCounts & { planted: number; plantedByKind: Partial<Record<FindingKind, number>> };
  /** recon's defaults the planted errors are sized against (src/diff/policy.ts) */
  tolerance: { quantity: string; percent: string; price: string };
  discrepancies: Answer[];
}

export function answersJson(o: ResolvedOptions, book: PlantBook, counts: AnswerCounts): string {
  const discrepancies = [...book.plants].sort((a, b) => a.ordinal - b.ordinal).map((p) => p.answer);
  const plantedByKind: Partial<Record<FindingKind, number>> = {};
  for (const a of discrepancies) plantedByKind[a.kind] = (plantedByKind[a.kind] ?? 0) + 1;
  const file: AnswersFile = {
    version: ANSWERS_VERSION,
    generator: 'bench/generate',
    parameters: {
      month: o.month.text,
      days: o.days,
      shares: o.shares,
      rows: o.rows,
      dialect: o.dialect,
      gzip: o.gzip,
      partitionMb: o.partitionMb,
      changes: o.changes,
      seed: o.seed,
      plant: o.plant,
    },
    counts: { ...counts, planted: discrepancies.length, plantedByKind },
    tolerance: { quantity: '0.000001', percent: '0.01', price: '0.000001' },
    discrepancies,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
