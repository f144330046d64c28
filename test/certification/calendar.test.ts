import { expect } from 'chai';
import {
  addDays,
  addDaysToLocalDate,
  addMonths,
  daysInMonth,
  endOfLocalDay,
  formatLocalDateTime,
  isValidTimeZone,
  localDateOf,
  localDaysBetween,
  parseInstant,
  parseLocalDate,
  startOfLocalDay,
} from '../../server/certification/calendar.js';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
// Chile moves its clocks at midnight: on 2026-09-06 local time jumps from 00:00 to 01:00.
const SANTIAGO = 'America/Santiago';

/** An oracle independent of the module: Intl's own en-CA rendering is YYYY-MM-DD. */
function intlLocalDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

describe('calendar', () => {
  describe('localDateOf', () => {
    it('switches date at Shanghai midnight, 16:00 UTC', () => {
      expect(localDateOf(new Date('2026-03-31T15:59:59.999Z'), SHANGHAI)).to.equal('2026-03-31');
      expect(localDateOf(new Date('2026-03-31T16:00:00.000Z'), SHANGHAI)).to.equal('2026-04-01');
    });

    it('agrees with Intl around New York DST changes, hour by hour', () => {
      for (let hour = 0; hour < 72; hour++) {
        const instant = new Date(Date.UTC(2026, 2, 7, hour, 30));
        expect(localDateOf(instant, NEW_YORK), instant.toISOString()).to.equal(intlLocalDate(instant, NEW_YORK));
        const autumn = new Date(Date.UTC(2026, 9, 31, hour, 30));
        expect(localDateOf(autumn, NEW_YORK), autumn.toISOString()).to.equal(intlLocalDate(autumn, NEW_YORK));
      }
    });

    it('rejects an invalid Date and an unknown zone', () => {
      expect(() => localDateOf(new Date('nope'), SHANGHAI)).to.throw(RangeError);
      expect(() => localDateOf(new Date(), 'Mars/Olympus_Mons')).to.throw(RangeError);
      expect(isValidTimeZone('Mars/Olympus_Mons')).to.equal(false);
      expect(isValidTimeZone(SHANGHAI)).to.equal(true);
    });
  });

  describe('startOfLocalDay / endOfLocalDay', () => {
    it('bounds a Shanghai day at local midnights', () => {
      expect(startOfLocalDay('2026-03-31', SHANGHAI).toISOString()).to.equal('2026-03-30T16:00:00.000Z');
      expect(endOfLocalDay('2026-03-31', SHANGHAI).toISOString()).to.equal('2026-03-31T15:59:59.999Z');
    });

    it('makes a 23-hour day when New York springs forward', () => {
      const start = startOfLocalDay('2026-03-08', NEW_YORK);
      const end = endOfLocalDay('2026-03-08', NEW_YORK);
      expect(start.toISOString()).to.equal('2026-03-08T05:00:00.000Z'); // EST, UTC−5
      expect(end.toISOString()).to.equal('2026-03-09T03:59:59.999Z'); // EDT, UTC−4
      expect(end.getTime() - start.getTime() + 1).to.equal(23 * 3_600_000);
    });

    it('starts the day at the first existing instant when midnight is skipped', () => {
      const start = startOfLocalDay('2026-09-06', SANTIAGO);
      expect(start.toISOString()).to.equal('2026-09-06T04:00:00.000Z'); // 01:00, UTC−3
      expect(intlLocalDate(start, SANTIAGO)).to.equal('2026-09-06');
      expect(intlLocalDate(new Date(start.getTime() - 1), SANTIAGO)).to.equal('2026-09-05');
      const end = endOfLocalDay('2026-09-05', SANTIAGO);
      expect(end.getTime()).to.equal(start.getTime() - 1);
    });

    it('matches Intl at both sides of every day boundary through a year', () => {
      let day = '2026-01-01';
      for (let i = 0; i < 366; i++) {
        for (const zone of [SHANGHAI, NEW_YORK, SANTIAGO]) {
          const end = endOfLocalDay(day, zone);
          expect(intlLocalDate(end, zone), `${zone} ${day}`).to.equal(day);
          expect(intlLocalDate(new Date(end.getTime() + 1), zone), `${zone} ${day}`).to.equal(addDaysToLocalDate(day, 1));
        }
        day = addDaysToLocalDate(day, 1);
      }
    });
  });

  describe('addMonths', () => {
    const at = (local: string) => new Date(`${local}+08:00`);

    it('clamps to the end of a shorter month', () => {
      expect(addMonths(at('2026-01-31T10:00:00'), 1, SHANGHAI)).to.deep.equal(at('2026-02-28T10:00:00'));
      expect(addMonths(at('2024-01-31T10:00:00'), 1, SHANGHAI)).to.deep.equal(at('2024-02-29T10:00:00'));
      expect(addMonths(at('2024-02-29T10:00:00'), 12, SHANGHAI)).to.deep.equal(at('2025-02-28T10:00:00'));
      expect(addMonths(at('2026-03-31T10:00:00'), -1, SHANGHAI)).to.deep.equal(at('2026-02-28T10:00:00'));
    });

    it('keeps the day when it exists and crosses years', () => {
      expect(addMonths(at('2025-03-15T09:30:00'), 12, SHANGHAI)).to.deep.equal(at('2026-03-15T09:30:00'));
      expect(addMonths(at('2025-11-30T09:30:00'), 3, SHANGHAI)).to.deep.equal(at('2026-02-28T09:30:00'));
      expect(addMonths(at('2026-01-15T09:30:00'), -13, SHANGHAI)).to.deep.equal(at('2024-12-15T09:30:00'));
    });

    it('counts months on the local calendar, not the UTC one', () => {
      // 00:30 on Jan 31 in Shanghai is still Jan 30 in UTC.
      expect(addMonths(at('2026-01-31T00:30:00'), 1, SHANGHAI)).to.deep.equal(at('2026-02-28T00:30:00'));
    });

    it('rejects fractional months', () => {
      expect(() => addMonths(at('2026-01-31T00:30:00'), 1.5, SHANGHAI)).to.throw(RangeError);
    });
  });

  describe('addDays', () => {
    it('keeps the local wall-clock time across a DST change', () => {
      const saturdayNoon = new Date('2026-03-07T12:00:00-05:00');
      expect(addDays(saturdayNoon, 1, NEW_YORK)).to.deep.equal(new Date('2026-03-08T12:00:00-04:00'));
      expect(addDays(new Date('2026-03-31T23:00:00+08:00'), 1, SHANGHAI)).to.deep.equal(new Date('2026-04-01T23:00:00+08:00'));
      expect(addDays(new Date('2026-03-01T08:00:00+08:00'), -1, SHANGHAI)).to.deep.equal(new Date('2026-02-28T08:00:00+08:00'));
    });
  });

  describe('parseInstant', () => {
    it('agrees with Date.parse on ISO instants across the years', () => {
      for (let i = 0; i < 2000; i++) {
        const ms = Date.UTC(1999, 0, 1) + Math.floor(i * 1_123_456_789.123) % (40 * 365 * 86_400_000);
        const iso = new Date(ms).toISOString();
        expect(parseInstant(iso), iso).to.equal(Date.parse(iso));
        const seconds = iso.replace(/\.\d{3}Z$/, 'Z');
        expect(parseInstant(seconds), seconds).to.equal(Date.parse(seconds));
      }
    });

    it('reads zone-less text as UTC, the way the database stores it', () => {
      expect(parseInstant('2026-03-31 15:59:59')).to.equal(Date.parse('2026-03-31T15:59:59Z'));
      expect(parseInstant('2026-03-31T15:59:59')).to.equal(Date.parse('2026-03-31T15:59:59Z'));
    });

    it('honours an explicit offset', () => {
      expect(parseInstant('2026-04-01T00:00:00+08:00')).to.equal(Date.parse('2026-03-31T16:00:00Z'));
      expect(parseInstant('2026-04-01T00:00:00.000+08:00')).to.equal(Date.parse('2026-03-31T16:00:00Z'));
    });

    it('gives NaN for impossible or malformed timestamps', () => {
      for (const bad of ['2026-02-29T00:00:00Z', '2024-13-01 00:00:00', '2026-03-31T25:00:00Z', '2026-03-3aT00:00:00Z', 'yesterday']) {
        expect(Number.isNaN(parseInstant(bad)), bad).to.equal(true);
      }
      expect(parseInstant('2024-02-29 12:00:00')).to.equal(Date.parse('2024-02-29T12:00:00Z'));
    });
  });

  describe('local date arithmetic', () => {
    it('adds days across month and leap-year ends', () => {
      expect(addDaysToLocalDate('2026-02-28', 1)).to.equal('2026-03-01');
      expect(addDaysToLocalDate('2024-02-28', 1)).to.equal('2024-02-29');
      expect(addDaysToLocalDate('2026-01-01', -1)).to.equal('2025-12-31');
    });

    it('counts days between dates, negative backwards', () => {
      expect(localDaysBetween('2026-03-01', '2026-03-31')).to.equal(30);
      expect(localDaysBetween('2026-03-31', '2026-03-01')).to.equal(-30);
      expect(localDaysBetween('2024-02-01', '2024-03-01')).to.equal(29);
    });

    it('parses only real YYYY-MM-DD dates', () => {
      expect(parseLocalDate('2024-02-29')).to.deep.equal({ year: 2024, month: 2, day: 29 });
      for (const bad of ['2026-02-29', '2026-13-01', '2026-3-1', '2026-03-31T00:00:00Z', '']) {
        expect(() => parseLocalDate(bad), bad).to.throw(RangeError);
      }
      expect(daysInMonth(2100, 2)).to.equal(28);
      expect(daysInMonth(2000, 2)).to.equal(29);
      expect(daysInMonth(2026, 4)).to.equal(30);
    });

    it('formats a local date-time for people', () => {
      expect(formatLocalDateTime(new Date('2026-03-31T16:05:09Z'), SHANGHAI)).to.equal('2026-04-01 00:05:09');
    });
  });
});
