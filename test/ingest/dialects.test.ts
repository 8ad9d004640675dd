import { describe, expect, it } from 'vitest';
import { detectDialect, mapColumns } from '../../src/ingest/dialects.ts';
import { InputError } from '../../src/errors.ts';

describe('dialect detection and column mapping', () => {
  it('recognises EA (both spellings), MCA and FOCUS headers case-insensitively', () => {
    expect(detectDialect(['Date', 'MeterId', 'Quantity', 'Cost'])).toBe('ea');
    expect(detectDialect(['invoiceId', 'date', 'meterId', 'quantity', 'costInBillingCurrency'])).toBe('mca');
    expect(detectDialect(['BilledCost', 'ChargePeriodStart', 'x_SkuMeterId'])).toBe('focus');
    expect(detectDialect(['foo', 'bar'])).toBeNull();
  });

  it('maps by name, whatever the order and case, and prefers the documented spelling', () => {
    const map = mapColumns('f.csv', [
      'cost',
      'COSTINBILLINGCURRENCY',
      'date',
      'MeterID',
      'metername',
      'quantity',
      'unitofmeasure',
      'resourceid',
      'Extra',
    ]);
    expect(map.dialect).toBe('ea');
    expect(map.positions.cost).toBe(1);
    expect(map.positions.charge_date).toBe(2);
    expect(map.positions.meter_id).toBe(3);
    expect(map.positions.tags).toBeUndefined();
  });

  it('refuses a file without a required column, naming the file and the columns', () => {
    expect(() => mapColumns('usage.csv', ['Date', 'MeterId', 'MeterName', 'ResourceId', 'Cost'])).toThrow(InputError);
    expect(() => mapColumns('usage.csv', ['Date', 'MeterId', 'MeterName', 'ResourceId', 'Cost'])).toThrow(
      /usage\.csv: EA export is missing required column\(s\): Quantity or UsageQuantity; UnitOfMeasure/,
    );
  });
});
