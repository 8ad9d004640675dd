import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.ts';
import { indentJson } from '../../src/report/html/json-indent.ts';

describe('escapeHtml', () => {
  it('turns markup and attribute breakers into entities', () => {
    expect(escapeHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml("it's")).toBe('it&#39;s');
    expect(escapeHtml('/accounts/a&b&amp;')).toBe('/accounts/a&amp;b&amp;amp;');
  });
});

describe('indentJson', () => {
  it('re-indents without touching numbers or strings', () => {
    const text = '{"a":1.10000000000000000001,"b":[1,{"c":"x, {y}: \\"z\\""}],"e":{},"f":[]}';
    expect(indentJson(text)).toBe(
      [
        '{',
        '  "a": 1.10000000000000000001,',
        '  "b": [',
        '    1,',
        '    {',
        '      "c": "x, {y}: \\"z\\""',
        '    }',
        '  ],',
        '  "e": {},',
        '  "f": []',
        '}',
      ].join('\n'),
    );
    expect(JSON.parse(indentJson(text))).toEqual(JSON.parse(text));
  });
});
