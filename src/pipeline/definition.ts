// The shape of a pipeline: an ordered list of named stages and the parameters it needs. Built-in pipelines live in
// pipelines/*.ts; `recon run <file>` loads a user's file of the same shape and validates it field by field.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';

export const STAGE_NAMES = [
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
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export const REQUIRABLE_PARAMETERS = ['month', 'resource'] as const;
export type RequirableParameter = (typeof REQUIRABLE_PARAMETERS)[number];

export interface PipelineDefinition {
  name: string;
  description: string;
  stages: readonly StageName[];
  /** Run options this pipeline cannot do without (a dispute needs a month and a resource). */
  requires?: readonly RequirableParameter[];
}

export function definePipeline(definition: PipelineDefinition): PipelineDefinition {
  return validatePipeline(definition, definition.name);
}

/** Check an untrusted pipeline definition; errors name the source and the field. */
export function validatePipeline(value: unknown, source: string): PipelineDefinition {
  const fail = (field: string, problem: string): never => {
    throw new InputError(`pipeline ${source}: field '${field}' ${problem}`);
  };
  if (typeof value !== 'object' || value === null) return fail('(default export)', 'must be an object');
  const record = value as Record<string, unknown>;
  const { name, description, stages, requires } = record;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
    fail('name', 'must be a lower-case word (letters, digits, dashes)');
  }
  if (typeof description !== 'string' || description.trim() === '') fail('description', 'must be a non-empty string');
  if (!Array.isArray(stages) || stages.length === 0) return fail('stages', 'must be a non-empty array of stage names');
  const seen = new Set<string>();
  stages.forEach((stage: unknown, index) => {
    if (typeof stage !== 'string' || !(STAGE_NAMES as readonly string[]).includes(stage)) {
      fail(`stages[${index}]`, `is '${String(stage)}'; known stages: ${STAGE_NAMES.join(', ')}`);
    }
    if (seen.has(stage as string)) fail(`stages[${index}]`, `repeats '${String(stage)}'`);
    seen.add(stage as string);
  });
  const order = (stages as StageName[]).map((stage) => STAGE_NAMES.indexOf(stage));
  if (order.some((position, index) => index > 0 && position < (order[index - 1] ?? 0))) {
    fail('stages', `must follow the data flow order ${STAGE_NAMES.join(' → ')}`);
  }
  if (requires !== undefined) {
    if (!Array.isArray(requires)) return fail('requires', 'must be an array');
    requires.forEach((parameter: unknown, index) => {
      if (typeof parameter !== 'string' || !(REQUIRABLE_PARAMETERS as readonly string[]).includes(parameter)) {
        fail(`requires[${index}]`, `is '${String(parameter)}'; allowed: ${REQUIRABLE_PARAMETERS.join(', ')}`);
      }
    });
  }
  const unknownKeys = Object.keys(record).filter((key) => !['name', 'description', 'stages', 'requires'].includes(key));
  if (unknownKeys.length > 0) fail(unknownKeys[0] ?? '', 'is not a pipeline field');
  return value as PipelineDefinition;
}

const BUILT_IN = ['nightly', 'dispute'] as const;

/** Resolve `nightly`, `dispute` or a path to a pipeline file (its default export). */
export async function loadPipeline(nameOrPath: string): Promise<PipelineDefinition> {
  const builtIn = BUILT_IN.find((name) => name === nameOrPath);
  if (builtIn) {
    const module = (await import(`../../pipelines/${builtIn}.ts`)) as { default: PipelineDefinition };
    return module.default;
  }
  if (!/\.(ts|mts|js|mjs)$/.test(nameOrPath)) {
    throw new InputError(`unknown pipeline '${nameOrPath}': use nightly, dispute or a path to a .ts/.js pipeline file`);
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(nameOrPath)).href)) as { default?: unknown };
  } catch (error) {
    throw new InputError(
      `pipeline file ${nameOrPath} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return validatePipeline(module.default, nameOrPath);
}
