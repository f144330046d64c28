/**
 * Calendar arithmetic in a named IANA time zone, with no dependency beyond Intl.
 *
 * Instants are stored in UTC; deadlines are local calendar dates ('YYYY-MM-DD'). A local date
 * covers [startOfLocalDay, endOfLocalDay] inclusive, endOfLocalDay being the last millisecond
 * before the next local midnight (Asia/Shanghai, UTC+8: 2026-03-31 ends at 2026-03-31T15:59:59.999Z).
 */

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface LocalDateParts { year: number; month: number; day: number }

// Formatters are costly to build and immutable, so one per zone is kept for the process.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what a bad configuration deserves.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset (local − UTC) in ms at an instant, read from Intl at one-second resolution. */
function offsetFromIntl(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

// Offsets per UTC day: exports ask for millions of dates, and formatToParts costs microseconds.
// A day whose two ends share an offset has no transition inside (zones never change twice a day).
const MIXED_DAY = Number.NaN;
const offsetsByDay = new Map<string, Map<number, number>>();
const MAX_CACHED_DAYS = 50_000;

function offsetAt(ms: number, timeZone: string): number {
  let days = offsetsByDay.get(timeZone);
  if (!days) {
    formatterFor(timeZone);
    days = new Map();
    offsetsByDay.set(timeZone, days);
  }
  const day = Math.floor(ms / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = offsetFromIntl(day * DAY_MS, timeZone);
    const last = offsetFromIntl((day + 1) * DAY_MS - 1, timeZone);
    offset = first === last ? first : MIXED_DAY;
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(day, offset);
  }
  return Number.isNaN(offset) ? offsetFromIntl(ms, timeZone) : offset;
}

function toMs(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** UTC milliseconds of a calendar date; unlike Date.UTC, years 0–99 stay years 0–99. */
function utcDateMs(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function formatUtcDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The wall clock of an instant in a zone, as a Date whose UTC fields hold the local fields. */
function wallClockOf(ms: number, timeZone: string): Date {
  return new Date(ms + offsetAt(ms, timeZone));
}

/** The instant showing a wall-clock time; in a DST gap it lands on the shifted side. */
function instantOfWallClock(wallMs: number, timeZone: string): number {
  const guess = wallMs - offsetAt(wallMs, timeZone);
  return wallMs - offsetAt(guess, timeZone);
}

// Day numbers — whole days since 1970-01-01 on the local calendar — let hot paths (a status
// per exported row) compare and subtract dates as integers; strings are made only for output.

/** Day number of the local calendar date of an instant (ms since the epoch). */
export function localDayNumber(ms: number, timeZone: string): number {
  return Math.floor((ms + offsetAt(ms, timeZone)) / DAY_MS);
}

export function dayNumberOfLocalDate(localDate: string): number {
  const { year, month, day } = parseLocalDate(localDate);
  return utcDateMs(year, month - 1, day) / DAY_MS;
}

// Reports format the same few hundred dates millions of times.
const dateTexts = new Map<number, string>();

export function localDateOfDayNumber(dayNumber: number): string {
  let text = dateTexts.get(dayNumber);
  if (text === undefined) {
    text = formatUtcDate(new Date(dayNumber * DAY_MS));
    if (dateTexts.size >= MAX_CACHED_DAYS) dateTexts.clear();
    dateTexts.set(dayNumber, text);
  }
  return text;
}

/**
 * First instant (ms) of a local day. Usually local midnight; when a DST change skips or repeats
 * midnight, the first instant whose local date is this one.
 */
export function startOfDayNumber(dayNumber: number, timeZone: string): number {
  const candidate = instantOfWallClock(dayNumber * DAY_MS, timeZone);
  if (localDayNumber(candidate, timeZone) >= dayNumber && localDayNumber(candidate - 1, timeZone) < dayNumber) {
    return candidate;
  }
  // A transition sits at midnight: search the first instant of the day near the candidate.
  let low = candidate - 2 * DAY_MS; // before the day
  let high = candidate + 2 * DAY_MS; // the day or later
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDayNumber(middle, timeZone) >= dayNumber) high = middle;
    else low = middle;
  }
  return high;
}

/** Last instant (ms) of a local day. */
export function endOfDayNumber(dayNumber: number, timeZone: string): number {
  return startOfDayNumber(dayNumber + 1, timeZone) - 1;
}

const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Milliseconds of a stored timestamp. Text without a zone is UTC, as the database stores it
 * (SQLite's '2026-03-31 08:00:00'); with 'Z' or an offset it is taken as written. The usual
 * shapes are read digit by digit — several times faster than Date.parse, which matters at
 * millions of rows.
 */
export function parseInstant(text: string): number {
  const length = text.length;
  const isIsoZ = (length === 24 && text.charCodeAt(19) === 46 && text.charCodeAt(23) === 90) || (length === 20 && text.charCodeAt(19) === 90);
  if ((isIsoZ || length === 19) && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45
    && (text.charCodeAt(10) === 84 || text.charCodeAt(10) === 32) && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58) {
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    const hour = digitsAt(text, 11, 2);
    const minute = digitsAt(text, 14, 2);
    const second = digitsAt(text, 17, 2);
    const milli = length === 24 ? digitsAt(text, 20, 3) : 0;
    const year = digitsAt(text, 0, 4);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59) {
      return utcDateMs(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
    }
    return Number.NaN;
  }
  return Date.parse(HAS_ZONE.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** The number written by `count` ASCII digits, or NaN (which fails every range check). */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

export function parseLocalDate(localDate: string): LocalDateParts {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(localDate)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`No such date: ${localDate}`);
  }
  return { year, month, day };
}

export function isLocalDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** month is 1–12. */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** 'YYYY-MM-DD' of the instant in the zone. */
export function localDateOf(date: Date, timeZone: string): string {
  return formatUtcDate(wallClockOf(toMs(date), timeZone));
}

/** 'YYYY-MM-DD HH:mm:ss' of the instant in the zone (for people, e.g. "generated at"). */
export function formatLocalDateTime(date: Date, timeZone: string): string {
  const wall = wallClockOf(toMs(date), timeZone);
  return `${formatUtcDate(wall)} ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
}

/** Calendar arithmetic on a local date, no zone involved. */
export function addDaysToLocalDate(localDate: string, days: number): string {
  assertInteger(days, 'days');
  return localDateOfDayNumber(dayNumberOfLocalDate(localDate) + days);
}

/** Whole calendar days from one local date to another (negative when `to` is earlier). */
export function localDaysBetween(from: string, to: string): number {
  return dayNumberOfLocalDate(to) - dayNumberOfLocalDate(from);
}

export function startOfLocalDay(localDate: string, timeZone: string): Date {
  return new Date(startOfDayNumber(dayNumberOfLocalDate(localDate), timeZone));
}

/** Last millisecond of the local date: a deadline on that date holds until this instant inclusive. */
export function endOfLocalDay(localDate: string, timeZone: string): Date {
  return new Date(endOfDayNumber(dayNumberOfLocalDate(localDate), timeZone));
}

/**
 * Same local wall-clock time `months` calendar months later, the day clamped to the target
 * month's length (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
 */
export function addMonths(date: Date, months: number, timeZone: string): Date {
  assertInteger(months, 'months');
  const wall = wallClockOf(toMs(date), timeZone);
  const monthIndex = wall.getUTCMonth() + months;
  const year = wall.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12; // 0-based
  const day = Math.min(wall.getUTCDate(), daysInMonth(year, month + 1));
  const timeOfDay = wall.getTime() - utcDateMs(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  return new Date(instantOfWallClock(utcDateMs(year, month, day) + timeOfDay, timeZone));
}

/** Same local wall-clock time `days` calendar days later (a local day may be 23 or 25 hours). */
export function addDays(date: Date, days: number, timeZone: string): Date {
  assertInteger(days, 'days');
  const wall = wallClockOf(toMs(date), timeZone);
  return new Date(instantOfWallClock(wall.getTime() + days * DAY_MS, timeZone));
}

function assertInteger(value: number, name: string): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}
