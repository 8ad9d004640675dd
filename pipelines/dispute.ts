// The invoice-dispute run: one resource (or prefix) and one month, with the evidence an analyst hands to support.
import { definePipeline } from '../src/pipeline/definition.ts';

export default definePipeline({
  name: 'dispute',
  description: 'Reconcile one resource and one month and write the evidence pack for a support case.',
  stages: [
    'ingest',
    'inventory',
    'transactions',
    'provisioning',
    'recompute',
    'billed',
    'diff',
    'export',
    'report',
    'evidence',
  ],
  requires: ['month', 'resource'],
});
