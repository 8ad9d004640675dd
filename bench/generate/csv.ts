// RFC 4180 fields as Cost Management writes them: quoted only when needed, a quote doubled inside quotes.

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** EA/MCA Tags: a JSON object's members without the braces ('"env": "prod","cc": "4711"'). */
export function tagsWithoutBraces(tags: readonly (readonly [string, string])[]): string {
  return tags.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',');
}

/** FOCUS Tags: the JSON object with its braces. */
export function tagsObject(tags: readonly (readonly [string, string])[]): string {
  return `{${tags.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}
