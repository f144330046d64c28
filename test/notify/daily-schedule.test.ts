import { expect } from 'chai';
import { silentLogger } from '../../server/logger.js';
import { nextDailyRun, scheduleDaily } from '../../server/notify/daily-schedule.js';

const at = (iso: string) => new Date(iso);
const next = (after: string, hour: number, zone: string) => nextDailyRun(at(after), hour, zone).toISOString();

describe('nextDailyRun', () => {
  it('is today at the local hour when that is still ahead (Asia/Shanghai, UTC+8)', () => {
    // 07:59 local on 06-02 is 23:59 UTC on 06-01: the run is 08:00 local, 00:00 UTC on 06-02.
    expect(next('2026-06-01T23:59:00Z', 8, 'Asia/Shanghai')).to.equal('2026-06-02T00:00:00.000Z');
    // 04:00 local on 06-02 while UTC still says 06-01: the local day counts, not the UTC one.
    expect(next('2026-06-01T20:00:00Z', 8, 'Asia/Shanghai')).to.equal('2026-06-02T00:00:00.000Z');
    // local midnight exactly
    expect(next('2026-06-01T16:00:00Z', 8, 'Asia/Shanghai')).to.equal('2026-06-02T00:00:00.000Z');
  });

  it('is tomorrow once the hour has come (strictly after)', () => {
    expect(next('2026-06-02T00:00:00Z', 8, 'Asia/Shanghai')).to.equal('2026-06-03T00:00:00.000Z');
    expect(next('2026-06-02T00:00:00.001Z', 8, 'Asia/Shanghai')).to.equal('2026-06-03T00:00:00.000Z');
    expect(next('2026-06-01T23:59:59.999Z', 8, 'Asia/Shanghai')).to.equal('2026-06-02T00:00:00.000Z');
  });

  it('crosses month and year ends on the local calendar', () => {
    expect(next('2026-12-31T10:00:00Z', 8, 'Asia/Shanghai')).to.equal('2027-01-01T00:00:00.000Z');
    expect(next('2026-06-30T15:00:00Z', 0, 'Asia/Shanghai')).to.equal('2026-06-30T16:00:00.000Z');
    // 23:00 local on 06-30 is the run time itself: the next one is a day later.
    expect(next('2026-06-30T15:00:00Z', 23, 'Asia/Shanghai')).to.equal('2026-07-01T15:00:00.000Z');
  });

  it('keeps the local hour across daylight-saving changes', () => {
    // Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2); back on 2026-10-25.
    expect(next('2026-03-28T12:00:00Z', 8, 'Europe/Berlin')).to.equal('2026-03-29T06:00:00.000Z');
    expect(next('2026-03-27T12:00:00Z', 8, 'Europe/Berlin')).to.equal('2026-03-28T07:00:00.000Z');
    expect(next('2026-10-24T12:00:00Z', 8, 'Europe/Berlin')).to.equal('2026-10-25T07:00:00.000Z');
    // 02:00 does not exist on 2026-03-29: the run comes right after the gap (03:00 CEST).
    expect(next('2026-03-28T12:00:00Z', 2, 'Europe/Berlin')).to.equal('2026-03-29T01:00:00.000Z');
  });

  it('refuses an hour outside 0–23', () => {
    expect(() => nextDailyRun(at('2026-06-01T00:00:00Z'), 24, 'Asia/Shanghai')).to.throw(RangeError);
  });
});

describe('scheduleDaily', () => {
  it('runs the job when the hour comes and stops on request, aborting a running job', async () => {
    // The clock says 07:59:59.950 local: the run is due in 50 ms.
    let now = Date.parse('2026-06-01T23:59:59.950Z');
    const runs: number[] = [];
    let aborted = false;
    let release: () => void = () => {};
    const schedule = scheduleDaily({
      name: 'test', hour: 8, timeZone: 'Asia/Shanghai', now: () => new Date(now), logger: silentLogger(),
      job: (signal) => new Promise<void>((resolve) => {
        runs.push(now);
        signal.addEventListener('abort', () => { aborted = true; });
        release = resolve;
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).to.have.length(1);
    now += 1000;
    const stopped = schedule.stop();
    expect(aborted).to.equal(true);
    release();
    await stopped;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).to.have.length(1);
  });
});
