import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { checkScope, isCalendarDay, lastDayOfMonth } from '../../src/scope.ts';

describe('run scope', () => {
  it('normalises prefixes the same way for every stage: trimmed, lower-cased, distinct, sorted', () => {
    expect(checkScope('diff', { resourcePrefixes: [' /Subscriptions/B ', '/subscriptions/b', '/A'] })).toEqual({
      month: null,
      from: null,
      to: null,
      prefixes: ['/a', '/subscriptions/b'],
    });
  });

  it.each([
    [{ month: '2024-13' }, "billed scope: month '2024-13' is not YYYY-MM"],
    [{ from: '2023-02-29' }, "billed scope: from '2023-02-29' is not a calendar date YYYY-MM-DD"],
    [{ from: '2024-03-02', to: '2024-03-01' }, 'billed scope: from 2024-03-02 is after to 2024-03-01'],
    [{ resourcePrefixes: ['  '] }, 'billed scope: an empty resource prefix would select everything'],
  ])('refuses %j, naming the stage and field', (scope, message) => {
    expect(() => checkScope('billed', scope)).toThrow(new InputError(message));
  });

  it('knows the calendar', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-10')).toBe('2026-10-31');
  });
});
