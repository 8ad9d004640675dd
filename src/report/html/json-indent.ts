// Re-indents a JSON document for reading without parsing it: JSON.parse would turn a decimal such as
// 1.10000000000000000001 into a double and print 1.1, and DuckDB's json_pretty does the same. Tokens are copied
// verbatim; only whitespace outside strings changes. The input is a DuckDB JSON value, so it is valid JSON.
export function indentJson(text: string, indent = '  '): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (inString) {
      out += char;
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    switch (char) {
      case '"':
        inString = true;
        out += char;
        break;
      case '{':
      case '[': {
        const next = nextNonSpace(text, index + 1);
        if (text.charAt(next) === (char === '{' ? '}' : ']')) {
          out += char + text.charAt(next); // empty container stays on one line
          index = next;
        } else {
          depth++;
          out += `${char}\n${indent.repeat(depth)}`;
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        out += `\n${indent.repeat(depth)}${char}`;
        break;
      case ',':
        out += `,\n${indent.repeat(depth)}`;
        break;
      case ':':
        out += ': ';
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        out += char;
    }
  }
  return out;
}

function nextNonSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && /\s/.test(text.charAt(index))) index++;
  return index;
}

/**
 * The same JSON with every number outside a string turned into a string of its exact digits, so JSON.parse keeps
 * 1.10000000000000000001 as written (the report shows evidence as text, never as a double's rounding).
 */
export function quoteJsonNumbers(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (inString) {
      out += char;
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index))?.[0] ?? char;
      out += `"${number}"`;
      index += number.length - 1;
    } else {
      out += char;
    }
  }
  return out;
}
