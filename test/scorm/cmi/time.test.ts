import { expect } from 'chai';
import {
  formatDuration2004, formatTimespan12, formatTotalTime, normaliseDuration2004, normaliseTimestamp2004, parseDuration2004,
  parseSessionTime, parseTimespan12,
} from '../../../server/scorm/cmi/time.js';

describe('scorm/cmi/time', () => {
  describe('SCORM 1.2 CMITimespan', () => {
    it('parses HHHH:MM:SS.SS and shorter hour fields to seconds', () => {
      expect(parseTimespan12('0001:02:03.50')).to.equal(3600 + 120 + 3.5);
      expect(parseTimespan12('00:00:07')).to.equal(7);
      expect(parseTimespan12('10:30:00.5')).to.equal(10 * 3600 + 30 * 60 + 0.5);
    });

    it('refuses malformed timespans', () => {
      for (const bad of ['', '1:2:3', '00:60:00', '00:00:60', '00:00:00.123', 'PT1M', '12345:00:00', 'aa:bb:cc', ' 00:00:01']) {
        expect(parseTimespan12(bad), bad).to.equal(null);
      }
    });

    it('formats seconds as HHHH:MM:SS.SS', () => {
      expect(formatTimespan12(0)).to.equal('0000:00:00.00');
      expect(formatTimespan12(3723.5)).to.equal('0001:02:03.50');
      expect(formatTimespan12(-5)).to.equal('0000:00:00.00');
    });
  });

  describe('SCORM 2004 duration', () => {
    it('parses ISO 8601 durations to seconds', () => {
      expect(parseDuration2004('PT1H1M30.5S')).to.equal(3690.5);
      expect(parseDuration2004('PT0H0M0S')).to.equal(0);
      expect(parseDuration2004('P1DT2H')).to.equal(86400 + 7200);
      expect(parseDuration2004('PT45S')).to.equal(45);
    });

    it('refuses malformed durations, including seconds without T', () => {
      for (const bad of ['', 'P', 'PT', 'P5S', 'PT1.5H', '1H', 'PT-5S', 'P1W', 'pt5s', 'PT5S ']) {
        expect(parseDuration2004(bad), bad).to.equal(null);
      }
    });

    it('truncates fractions finer than 0.01 s instead of refusing them', () => {
      expect(normaliseDuration2004('PT1.239S')).to.equal('PT1.23S');
      expect(parseDuration2004('PT1.239S')).to.equal(1.23);
    });

    it('formats seconds as PT#H#M#S', () => {
      expect(formatDuration2004(0)).to.equal('PT0H0M0S');
      expect(formatDuration2004(3690.5)).to.equal('PT1H1M30.5S');
      expect(formatDuration2004(59.25)).to.equal('PT0H0M59.25S');
    });
  });

  it('round-trips accumulated seconds through both formats', () => {
    for (const seconds of [0, 0.01, 1, 59.99, 60, 3599.5, 3600, 86399.99, 360000.07, 12.34]) {
      expect(parseTimespan12(formatTimespan12(seconds)), `1.2 ${seconds}`).to.be.closeTo(seconds, 1e-9);
      expect(parseDuration2004(formatDuration2004(seconds)), `2004 ${seconds}`).to.be.closeTo(seconds, 1e-9);
      expect(parseSessionTime('1.2', formatTotalTime('1.2', seconds))).to.be.closeTo(seconds, 1e-9);
      expect(parseSessionTime('2004', formatTotalTime('2004', seconds))).to.be.closeTo(seconds, 1e-9);
    }
  });

  describe('SCORM 2004 timestamps', () => {
    it('accepts the spec forms and truncates three-digit fractions from toISOString()', () => {
      expect(normaliseTimestamp2004('2024')).to.equal('2024');
      expect(normaliseTimestamp2004('2024-02-29T10:00')).to.equal('2024-02-29T10:00');
      expect(normaliseTimestamp2004('2024-01-01T10:00:00.5Z')).to.equal('2024-01-01T10:00:00.5Z');
      expect(normaliseTimestamp2004('2024-01-01T10:00:00.123Z')).to.equal('2024-01-01T10:00:00.12Z');
      expect(normaliseTimestamp2004('2024-01-01T10:00:00.1+08:00')).to.equal('2024-01-01T10:00:00.1+08:00');
    });

    it('refuses impossible dates and malformed zones', () => {
      for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T24:00', '1969-12-31', '2024-01-01 10:00', '2024-01-01T10:00:00.1+25:00', 'now']) {
        expect(normaliseTimestamp2004(bad), bad).to.equal(null);
      }
    });
  });
});
