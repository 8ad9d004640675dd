import { describe, expect, it } from 'vitest';
import { csvField, neutraliseText, renderCsv } from '../../src/output/csv.ts';

describe('findings CSV writer', () => {
  it('neutralises text cells that a spreadsheet would evaluate', () => {
    expect(neutraliseText('=HYPERLINK("http://evil.example","x")')).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(neutraliseText('+1')).toBe("'+1");
    expect(neutraliseText('-2+3')).toBe("'-2+3");
    expect(neutraliseText('@sum(1)')).toBe("'@sum(1)");
    expect(neutraliseText('\tx')).toBe("'\tx");
    expect(neutraliseText('\rx')).toBe("'\rx");
    expect(neutraliseText('a=b')).toBe('a=b');
  });

  it('writes number cells as numbers, negative ones included, and refuses non-decimals there', () => {
    expect(csvField({ type: 'number', value: '-3.5' })).toBe('-3.5');
    expect(csvField({ type: 'text', value: '-3.5' })).toBe("'-3.5");
    expect(() => csvField({ type: 'number', value: '=1+1' })).toThrow(/not a decimal/);
    expect(() => csvField({ type: 'number', value: '-1e5' })).toThrow(/not a decimal/);
  });

  it('quotes per RFC 4180 after neutralising', () => {
    expect(csvField({ type: 'text', value: 'a,b' })).toBe('"a,b"');
    expect(csvField({ type: 'text', value: 'say "hi"' })).toBe('"say ""hi"""');
    expect(csvField({ type: 'text', value: 'two\nlines' })).toBe('"two\nlines"');
    expect(csvField({ type: 'text', value: '=A1,"x"' })).toBe(`"'=A1,""x"""`);
    expect(csvField({ type: 'text', value: null })).toBe('');
    expect(csvField({ type: 'text', value: '' })).toBe('');
  });

  it('ends every record with CRLF', () => {
    expect(
      renderCsv(
        ['a', 'b'],
        [
          [
            { type: 'text', value: 'x' },
            { type: 'number', value: '1' },
          ],
        ],
        { bom: false },
      ),
    ).toBe('a,b\r\nx,1\r\n');
  });

  it('starts with the UTF-8 BOM by default, so Excel reads Δ, × and ÷ as written', () => {
    const csv = renderCsv(['a'], [[{ type: 'text', value: 'Δ +1 × 2 ÷ 3' }]]);
    expect(csv).toBe('\uFEFFa\r\nΔ +1 × 2 ÷ 3\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
