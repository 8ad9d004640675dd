// Colour for the terminal: only when the stream is a TTY and NO_COLOR (https://no-color.org) is unset or empty;
// FORCE_COLOR=1 turns it on for a pipe. A log file or a scheduler's capture never gets escape codes.
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const COLORS: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
};
const identity = (text: string): string => text;
const PLAIN: Palette = { bold: identity, dim: identity, red: identity, yellow: identity, green: identity };

export function palette(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  return colorEnabled(stream, env) ? COLORS : PLAIN;
}

/** Severity in its colour: high red, medium yellow, low dim. */
export function severityText(colors: Palette, severity: string): string {
  if (severity === 'high') return colors.red(severity);
  if (severity === 'medium') return colors.yellow(severity);
  return colors.dim(severity);
}
