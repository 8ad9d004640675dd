// Option parsing for every recon command, in recon's own words. node:util parseArgs does the parsing; its errors
// ("Unknown option '--x'. To specify a positional argument starting with a '-', …") are rewritten into one line
// that names the command and, for a typo, suggests the nearest option ("did you mean '--tolerance'?").
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<T extends Options>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(optionErrorMessage(command, error, options));
  }
}

function optionErrorMessage(command: string, error: unknown, options: Options): string {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  // Node names the option as '--db', '-q, --quiet' or '--x=1'; recon names it by its long form.
  const quoted = /'([^']+)'/.exec(text)?.[1] ?? '';
  const named = /--[^\s=<]+/.exec(quoted)?.[0] ?? /-[^\s,=<]+/.exec(quoted)?.[0] ?? quoted;
  const longName = named.split('=')[0] ?? named;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = Object.entries(options).flatMap(([name, option]) => [
        `--${name}`,
        ...(option.short ? [`-${option.short}`] : []),
      ]);
      return `unknown option '${longName}' for recon ${command}${suggestion(longName, known)}; see 'recon ${command} --help'`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(text)
        ? `option '${longName}' needs a value; see 'recon ${command} --help'`
        : `option '${longName}' takes no value; see 'recon ${command} --help'`;
    default:
      return `recon ${command}: ${text.split('. ')[0] ?? text}`;
  }
}

/** ' (did you mean 'x'?)' when one candidate is close enough to be a typo of `input`, else ''. */
export function suggestion(input: string, candidates: readonly string[]): string {
  const best = closest(input, candidates);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** The candidate nearest to `input` by edit distance, if within a typo's reach (a third of its length, at least 2). */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  if (wanted.replace(/^-+/, '').length < 2) return undefined; // '-x' is no typo of '-q'
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase().startsWith(wanted) && wanted.length >= 3
        ? 1
        : editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const reach = Math.max(2, Math.floor(wanted.length / 3));
  return bestDistance <= reach ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of letters is one typo, not two. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let value = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
      row[j] = value;
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/** A value from a fixed list, case-insensitive; otherwise an InputError naming the option, the list and a guess. */
export function oneOf<T extends string>(option: string, text: string, allowed: readonly T[]): T {
  const match = allowed.find((value) => value === text.toLowerCase());
  if (match !== undefined) return match;
  throw new InputError(`${option} must be one of ${allowed.join(', ')}, got '${text}'${suggestion(text, allowed)}`);
}
