// The shape of a pipeline: an ordered list of named stages and the parameters it needs. Built-in pipelines live in
// pipelines/*.ts (part of recon). `recon run <file>` reads a user's pipeline as data — JSON or YAML, never code:
// importing a .ts/.js file would run whatever it contains — and validates it field by field before anything runs.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { suggestion } from '../cli/args.ts';
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

const PIPELINE_FIELDS = ['name', 'description', 'stages', 'requires'] as const;

/** Check an untrusted pipeline definition; errors name the source and the field. */
export function validatePipeline(value: unknown, source: string): PipelineDefinition {
  const fail = (field: string, problem: string): never => {
    throw new InputError(`pipeline ${source}: field '${field}' ${problem}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('(top level)', 'must be an object with name, description and stages');
  }
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
      fail(
        `stages[${index}]`,
        `is '${String(stage)}'${suggestion(String(stage), STAGE_NAMES)}; known stages: ${STAGE_NAMES.join(', ')}`,
      );
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
  const unknownKeys = Object.keys(record).filter((key) => !(PIPELINE_FIELDS as readonly string[]).includes(key));
  const unknownKey = unknownKeys[0];
  if (unknownKey !== undefined) fail(unknownKey, `is not a pipeline field${suggestion(unknownKey, PIPELINE_FIELDS)}`);
  return value as PipelineDefinition;
}

export const BUILT_IN_PIPELINES = ['nightly', 'dispute'] as const;

/** Resolve `nightly`, `dispute` or a path to a JSON or YAML pipeline file. */
export async function loadPipeline(nameOrPath: string): Promise<PipelineDefinition> {
  const builtIn = BUILT_IN_PIPELINES.find((name) => name === nameOrPath);
  if (builtIn) {
    const module = (await import(`../../pipelines/${builtIn}.ts`)) as { default: PipelineDefinition };
    return module.default;
  }
  const extension = extname(nameOrPath).toLowerCase();
  if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(extension)) {
    throw new InputError(
      `pipeline file ${nameOrPath}: pipeline files are data: write it as JSON or YAML ` +
        `(name, description, stages, requires); recon does not run code from a pipeline file`,
    );
  }
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new InputError(
      `unknown pipeline '${nameOrPath}'${suggestion(nameOrPath, BUILT_IN_PIPELINES)}: ` +
        `use nightly, dispute or a path to a .json, .yaml or .yml pipeline file`,
    );
  }
  let text: string;
  try {
    text = await readFile(nameOrPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable');
    throw new InputError(`pipeline file ${nameOrPath} cannot be read: ${why}`);
  }
  return validatePipeline(
    extension === '.json' ? parseJson(nameOrPath, text) : parseYaml(nameOrPath, text),
    nameOrPath,
  );
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new InputError(`pipeline file ${path} is not valid JSON: ${error instanceof Error ? error.message : ''}`);
  }
}

/**
 * YAML 1.2 core schema only: no custom tags (nothing like !!js/function), duplicate keys are an error, and an alias
 * may not expand beyond a small document (a "billion laughs" file is refused, not expanded).
 */
function parseYaml(path: string, text: string): unknown {
  const document = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  const [problem] = [...document.errors, ...document.warnings];
  if (problem !== undefined) {
    throw new InputError(`pipeline file ${path} is not valid YAML: ${problem.message.split('\n')[0] ?? ''}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new InputError(`pipeline file ${path} is not valid YAML: ${error instanceof Error ? error.message : ''}`);
  }
}
