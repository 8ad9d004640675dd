// One inline SVG chart per compared pair (billing month × billed resource × meter): the daily billed quantity and
// the daily expected quantity over the month. Pure SVG, no script: it renders anywhere, offline.
// Quantities are scaled to pixels with decimal.js; only pixel coordinates (1 decimal) reach the markup.
import { Decimal } from 'decimal.js';
import { formatDecimal } from '../../output/format.ts';
import type { ChartPointRow } from '../report-data.ts';
import { escapeHtml } from './escape.ts';

export interface Chart {
  billingMonth: string;
  billingResourceId: string;
  meter: string;
  findingCount: number;
  points: ChartPointRow[];
}

const WIDTH = 640;
const HEIGHT = 180;
const LEFT = 80;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

/** Group the chart points (ordered by chart_rank, usage_date) into charts. */
export function chartsFromPoints(points: readonly ChartPointRow[]): Chart[] {
  const charts = new Map<string, Chart>();
  for (const point of points) {
    let chart = charts.get(point.chart_rank);
    if (!chart) {
      chart = {
        billingMonth: point.billing_month,
        billingResourceId: point.billing_resource_id,
        meter: point.meter,
        findingCount: Number(point.finding_count), // a count, not a quantity
        points: [],
      };
      charts.set(point.chart_rank, chart);
    }
    chart.points.push(point);
  }
  return [...charts.values()];
}

export function daysInMonth(billingMonth: string): number {
  const [year, month] = billingMonth.split('-').map((part) => Number.parseInt(part, 10));
  if (year === undefined || month === undefined) throw new Error(`not a billing month: ${billingMonth}`);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The plotted values of a day. Nothing billed is a billed quantity of 0 (comparison stores it as null). Nothing
 * expected is 0 when the inventory covered the day, and a gap in the line when it did not: unknown is not zero.
 */
function plotted(point: ChartPointRow): { billed: Decimal; expected: Decimal | null } {
  const billed = new Decimal(point.billed_quantity ?? '0');
  if (point.expected_quantity !== null) return { billed, expected: new Decimal(point.expected_quantity) };
  return { billed, expected: point.is_covered ? new Decimal(0) : null };
}

export function renderChart(chart: Chart, index: number): string {
  const days = daysInMonth(chart.billingMonth);
  const values = chart.points.map((point) => ({
    day: dayOf(point.usage_date),
    status: point.status,
    ...plotted(point),
  }));
  const all = values.flatMap((value) => (value.expected === null ? [value.billed] : [value.billed, value.expected]));
  const top = Decimal.max(0, ...all);
  const bottom = Decimal.min(0, ...all);
  const span = top.equals(bottom) ? new Decimal(1) : top.minus(bottom);
  const x = (day: number): string => (LEFT + ((day - 1) * PLOT_WIDTH) / Math.max(days - 1, 1)).toFixed(1);
  const y = (value: Decimal): string =>
    top.minus(value).div(span).mul(PLOT_HEIGHT).plus(TOP).toDecimalPlaces(1).toFixed(1);

  const path = (pick: (value: (typeof values)[number]) => Decimal | null): string => {
    let d = '';
    let previousDay = Number.NaN;
    for (const value of values) {
      const quantity = pick(value);
      if (quantity === null) {
        previousDay = Number.NaN;
        continue;
      }
      // A new segment starts with a zero-length stroke: with round caps a day between two gaps shows as a dot.
      d += value.day === previousDay + 1 ? `L${x(value.day)} ${y(quantity)} ` : `M${x(value.day)} ${y(quantity)} l0 0 `;
      previousDay = value.day;
    }
    return d.trim();
  };
  const markers = values
    .filter((value) => value.status !== 'match')
    .map((value) => `<circle class="mark-${value.status}" cx="${x(value.day)}" cy="${y(value.billed)}" r="3"/>`)
    .join('');

  const title = `${chart.billingResourceId} · ${chart.meter} · ${chart.billingMonth}`;
  const baseline = y(new Decimal(0));
  const lastDay = `${chart.billingMonth}-${String(days).padStart(2, '0')}`;
  return [
    `<figure class="chart-figure" id="chart-${index}">`,
    `<figcaption><code>${escapeHtml(chart.billingResourceId)}</code> · <b>${escapeHtml(chart.meter)}</b> · ${escapeHtml(chart.billingMonth)}`,
    chart.findingCount > 0 ? ` · <span class="finding-count">${chart.findingCount} finding(s)</span>` : '',
    `</figcaption>`,
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`billed vs expected: ${title}`)}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
    `<line class="axis" x1="${LEFT}" y1="${baseline}" x2="${WIDTH - RIGHT}" y2="${baseline}"/>`,
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + PLOT_HEIGHT}"/>`,
    `<text class="label" x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${escapeHtml(formatDecimal(top.toFixed()))}</text>`,
    `<text class="label" x="${LEFT - 6}" y="${TOP + PLOT_HEIGHT}" text-anchor="end">${escapeHtml(formatDecimal(bottom.toFixed()))}</text>`,
    `<text class="label" x="${LEFT}" y="${HEIGHT - 8}">${escapeHtml(`${chart.billingMonth}-01`)}</text>`,
    `<text class="label" x="${WIDTH - RIGHT}" y="${HEIGHT - 8}" text-anchor="end">${escapeHtml(lastDay)}</text>`,
    `<path class="expected" d="${path((value) => value.expected)}"/>`,
    `<path class="billed" d="${path((value) => value.billed)}"/>`,
    markers,
    `</svg>`,
    `</figure>`,
  ].join('');
}

function dayOf(usageDate: string): number {
  return Number.parseInt(usageDate.slice(8, 10), 10);
}
