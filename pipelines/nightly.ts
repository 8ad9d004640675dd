// The scheduled run: ingest everything new, recompute, diff and publish the reports and Parquet.
import { definePipeline } from '../src/pipeline/definition.ts';

export default definePipeline({
  name: 'nightly',
  description: 'Ingest exports and inventory, recompute expected usage, diff, report and export Parquet.',
  stages: ['ingest', 'inventory', 'transactions', 'provisioning', 'recompute', 'billed', 'diff', 'export', 'report'],
});
