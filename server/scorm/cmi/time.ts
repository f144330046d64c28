// SCORM time formats: parse session times to seconds, format accumulated totals, check timestamps.
//  - SCORM 1.2 CMITimespan  HHHH:MM:SS.SS   (session_time, total_time, latency)
//  - SCORM 1.2 CMITime      HH:MM:SS.SS     (interactions.n.time, a time of day)
//  - SCORM 2004 timeinterval P[yY][mM][dD][T[hH][nM][s[.s]S]]  (ISO 8601 duration)
//  - SCORM 2004 time(second,10,0) YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]  (ISO 8601 timestamp)
// Precision is 0.01 s in both versions; finer fractions are dropped (truncated), never refused.

import type { CmiVersion } from './error-codes.js';

const SECONDS_PER_DAY = 86400;
/** ISO durations with years or months have no fixed length; SCORM LMSs conventionally use these. */
const SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY;
const SECONDS_PER_MONTH = 30 * SECONDS_PER_DAY;

// Hours: the spec says 2-4 digits; scorm-again accepts 1, so 1 is tolerated.
const TIMESPAN_12 = /^(\d{1,4}):([0-5]\d):([0-5]\d)(?:\.(\d{1,2}))?$/;
const TIME_OF_DAY_12 = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,2})?$/;
// Every component is optional but at least one must be present, and T only with a time part.
const DURATION_2004 = /^P(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})(?:\.(\d{1,9}))?S)?)?$/;
const TIMESTAMP_2004 =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9})(Z|[+-]\d{2}(?::\d{2})?)?)?)?)?)?)?)?$/;

/** SCORM 1.2 CMITimespan to seconds, or null when malformed. */
export function parseTimespan12(value: string): number | null {
  const match = TIMESPAN_12.exec(value);
  if (!match) return null;
  const [, hours, minutes, seconds, fraction = ''] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + fractionToSeconds(fraction);
}

/** SCORM 1.2 CMITime (a time of day, used by interactions.n.time). */
export function isTimeOfDay12(value: string): boolean {
  return TIME_OF_DAY_12.test(value);
}

/**
 * SCORM 2004 duration normalised to at most two decimals, or null when malformed.
 * "P5S" (no T), "PT" and "P" are refused; scorm-again accepts the first, the spec does not.
 */
export function normaliseDuration2004(value: string): string | null {
  const match = DURATION_2004.exec(value);
  if (!match) return null;
  const [, years, months, days, hours, minutes, seconds, fraction] = match;
  const hasDate = years !== undefined || months !== undefined || days !== undefined;
  const hasTime = hours !== undefined || minutes !== undefined || seconds !== undefined;
  if (!hasDate && !hasTime) return null;
  if (value.includes('T') && !hasTime) return null;
  if (fraction === undefined || fraction.length <= 2) return value;
  return value.replace(`.${fraction}S`, `.${fraction.slice(0, 2)}S`);
}

/** SCORM 2004 duration to seconds, or null when malformed. */
export function parseDuration2004(value: string): number | null {
  const normalised = normaliseDuration2004(value);
  if (normalised === null) return null;
  const [, years, months, days, hours, minutes, seconds, fraction = ''] = DURATION_2004.exec(normalised) ?? [];
  return (
    Number(years ?? 0) * SECONDS_PER_YEAR +
    Number(months ?? 0) * SECONDS_PER_MONTH +
    Number(days ?? 0) * SECONDS_PER_DAY +
    Number(hours ?? 0) * 3600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0) +
    fractionToSeconds(fraction)
  );
}

/** A session_time / latency in the version's format, to seconds; null when malformed. */
export function parseSessionTime(version: CmiVersion, value: string): number | null {
  return version === '1.2' ? parseTimespan12(value) : parseDuration2004(value);
}

/** Seconds as SCORM 1.2 CMITimespan "HHHH:MM:SS.SS" (more hour digits after 9999 hours). */
export function formatTimespan12(totalSeconds: number): string {
  const { hours, minutes, centiseconds } = splitSeconds(totalSeconds);
  const wholeSeconds = Math.floor(centiseconds / 100);
  return `${pad(hours, 4)}:${pad(minutes, 2)}:${pad(wholeSeconds, 2)}.${pad(centiseconds % 100, 2)}`;
}

/** Seconds as SCORM 2004 duration "PT#H#M#S" (seconds with up to two decimals). */
export function formatDuration2004(totalSeconds: number): string {
  const { hours, minutes, centiseconds } = splitSeconds(totalSeconds);
  const fraction = centiseconds % 100;
  const seconds = String(Math.floor(centiseconds / 100)) + (fraction === 0 ? '' : `.${pad(fraction, 2).replace(/0$/, '')}`);
  return `PT${hours}H${minutes}M${seconds}S`;
}

/** Accumulated seconds in the version's total_time format. */
export function formatTotalTime(version: CmiVersion, totalSeconds: number): string {
  return version === '1.2' ? formatTimespan12(totalSeconds) : formatDuration2004(totalSeconds);
}

/**
 * SCORM 2004 timestamp normalised to at most two fractional digits (JavaScript's toISOString()
 * gives three), or null when malformed or not a real calendar date.
 */
export function normaliseTimestamp2004(value: string): string | null {
  const match = TIMESTAMP_2004.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (Number(year) < 1970) return null;
  if (month !== undefined && !inRange(month, 1, 12)) return null;
  if (day !== undefined && !inRange(day, 1, daysInMonth(Number(year), Number(month)))) return null;
  if (hour !== undefined && !inRange(hour, 0, 23)) return null;
  if (minute !== undefined && !inRange(minute, 0, 59)) return null;
  if (second !== undefined && !inRange(second, 0, 59)) return null;
  if (zone !== undefined && zone !== 'Z' && !isValidZoneOffset(zone)) return null;
  if (fraction === undefined || fraction.length <= 2) return value;
  return value.replace(`.${fraction}`, `.${fraction.slice(0, 2)}`);
}

function isValidZoneOffset(zone: string): boolean {
  const [hours, minutes = '00'] = zone.slice(1).split(':');
  return inRange(hours ?? '', 0, 23) && inRange(minutes, 0, 59);
}

function splitSeconds(totalSeconds: number): { hours: number; minutes: number; centiseconds: number } {
  const safe = Number.isFinite(totalSeconds) && totalSeconds > 0 ? totalSeconds : 0;
  const allCentiseconds = Math.round(safe * 100);
  return {
    hours: Math.floor(allCentiseconds / 360000),
    minutes: Math.floor((allCentiseconds % 360000) / 6000),
    centiseconds: allCentiseconds % 6000,
  };
}

function fractionToSeconds(fraction: string): number {
  return fraction === '' ? 0 : Number(`0.${fraction.slice(0, 2)}`);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inRange(digits: string, min: number, max: number): boolean {
  const value = Number(digits);
  return digits !== '' && value >= min && value <= max;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
