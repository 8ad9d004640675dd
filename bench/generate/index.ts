// The benchmark generator's public API, for the bench driver and tests.
export { generate, type GenerateResult } from './generate.ts';
export { resolveOptions, type ChangeMode, type Dialect, type GenerateOptions } from './options.ts';
export { ANSWERS_VERSION, type AnswersFile } from './answers.ts';
export { PLANT_KIND, type Answer, type FindingKind, type PlantType } from './plants.ts';
