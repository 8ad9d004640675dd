// Calendar arithmetic for one generated billing month (UTC). Days are numbered within the month: 1 is its first day,
// 0 and below fall in the previous month (snapshots taken before it), days + 1 is the next month's first day. The
// date strings every writer needs are built once per day here; Date is used for calendar arithmetic only, never
// for "now".

export interface Month {
  /** 'YYYY-MM' */
  text: string;
  year: number;
  /** 1–12 */
  month: number;
  days: number;
}

const MONTH_TEXT = /^(\d{4})-(\d{2})$/;

/** Parses 'YYYY-MM' (years 2000–2099); null when it is not a calendar month. */
export function parseMonth(text: string): Month | null {
  const match = MONTH_TEXT.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { text, year, month, days };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The date strings of one day, in every format the outputs use. */
export interface DayText {
  /** 'YYYY-MM-DD' */
  iso: string;
  /** 'MM/DD/YYYY' (EA and MCA exports) */
  us: string;
  /** 'YYYYMMDD' */
  compact: string;
}

export class Calendar {
  readonly month: Month;
  private readonly cache = new Map<number, DayText>();

  constructor(month: Month) {
    this.month = month;
  }

  /** The date strings of day `day` of the month (any integer: before and after the month too). */
  day(day: number): DayText {
    let text = this.cache.get(day);
    if (!text) {
      const date = new Date(Date.UTC(this.month.year, this.month.month - 1, day));
      const y = pad(date.getUTCFullYear(), 4);
      const m = pad(date.getUTCMonth() + 1);
      const d = pad(date.getUTCDate());
      text = { iso: `${y}-${m}-${d}`, us: `${m}/${d}/${y}`, compact: `${y}${m}${d}` };
      this.cache.set(day, text);
    }
    return text;
  }

  /** ISO-8601 UTC time with seconds: '2026-10-05T14:00:00Z'. */
  time(day: number, hour: number, minute = 0, second = 0): string {
    return `${this.day(day).iso}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`;
  }

  /** An hour counted from the month's start (hour 0 = day 1, 00:00) as an ISO time. */
  hourTime(monthHour: number): string {
    const day = Math.floor(monthHour / 24) + 1;
    return this.time(day, monthHour - (day - 1) * 24);
  }

  /** FOCUS 1.0 date-time without seconds: '2026-10-05T00:00Z'. */
  focusTime(day: number): string {
    return `${this.day(day).iso}T00:00Z`;
  }
}
