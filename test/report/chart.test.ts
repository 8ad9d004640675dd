import { describe, expect, it } from 'vitest';
import { chartsFromPoints, daysInMonth, renderChart } from '../../src/report/html/chart.ts';
import type { ChartPointRow } from '../../src/report/report-data.ts';

const point = (
  usage_date: string,
  billed_quantity: string | null,
  expected_quantity: string | null,
  status: ChartPointRow['status'] = 'match',
  is_covered = true,
): ChartPointRow => ({
  chart_rank: '1',
  pair_count: '1',
  finding_count: '1',
  billing_month: '2024-02',
  billing_resource_id: '/subscriptions/s/a&b',
  meter: 'v2.provisioned_storage',
  usage_date,
  billed_quantity,
  expected_quantity,
  is_covered,
  status,
});

describe('billed vs expected chart', () => {
  it('uses calendar month lengths', () => {
    expect(daysInMonth('2024-02')).toBe(29);
    expect(daysInMonth('2023-02')).toBe(28);
    expect(daysInMonth('2024-12')).toBe(31);
  });

  it('plots nothing billed as 0 and an unknown expectation as a gap, and marks finding days', () => {
    const [chart] = chartsFromPoints([
      point('2024-02-01', '10.000000000000000000', '10.000000000000000000'),
      point('2024-02-02', null, '10.000000000000000000', 'finding'),
      point('2024-02-03', '10.000000000000000000', null, 'unverifiable', false),
    ]);
    if (!chart) throw new Error('no chart');
    const svg = renderChart(chart, 0);
    // x: 80 + (day − 1) × 548 / 28; y: 12 + (10 − q) / 10 × 140.
    expect(svg).toContain('<path class="billed" d="M80.0 12.0 l0 0 L99.6 152.0 L119.1 12.0"/>');
    expect(svg).toContain('<path class="expected" d="M80.0 12.0 l0 0 L99.6 12.0"/>');
    expect(svg).toContain('<circle class="mark-finding" cx="99.6" cy="152.0" r="3"/>');
    expect(svg).toContain('<circle class="mark-unverifiable" cx="119.1" cy="12.0" r="3"/>');
    expect(svg).toContain('2024-02-29');
    expect(svg).toContain('<code>/subscriptions/s/a&amp;b</code>');
    expect(svg).not.toContain('a&b');
  });

  it('keeps negative quantities (refunds) inside the plot', () => {
    const [chart] = chartsFromPoints([point('2024-02-01', '-5', '0'), point('2024-02-02', '5', '0')]);
    if (!chart) throw new Error('no chart');
    // top 5, bottom −5: y = 12 + (5 − q) / 10 × 140.
    expect(renderChart(chart, 0)).toContain('<path class="billed" d="M80.0 152.0 l0 0 L99.6 12.0"/>');
  });
});
