// The run-time API fixes carried in patches/ (patch-package, applied on install), checked on a bare
// scorm-again API in Node, the same ESM bundle the player and the launcher serve. Each case is a
// rule of the SCORM 2004 4th Edition RTE book (or SCORM 1.2 RTE for the 1.2 API); a case fails when
// the patch is missing.
import { expect } from 'chai';
import * as scorm12 from 'scorm-again/scorm12';
import * as scorm2004 from 'scorm-again/scorm2004';

interface Api2004 {
  Initialize(p: string): string; Terminate(p: string): string; GetValue(e: string): string; SetValue(e: string, v: string): string; GetLastError(): string;
}
interface Api12 {
  LMSInitialize(p: string): string; LMSFinish(p: string): string; LMSGetValue(e: string): string; LMSSetValue(e: string, v: string): string; LMSGetLastError(): string;
}
// The ESM builds export the classes by name; the bundled typings say default.
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: object) => Api2004 };
const { Scorm12API } = scorm12 as unknown as { Scorm12API: new (settings: object) => Api12 };

function started2004(): Api2004 {
  const api = new Scorm2004API({ logLevel: 5, lmsCommitUrl: false, autocommit: false });
  expect(api.Initialize('')).to.equal('true');
  return api;
}

function started12(): Api12 {
  const api = new Scorm12API({ logLevel: 5, lmsCommitUrl: false, autocommit: false });
  expect(api.LMSInitialize('')).to.equal('true');
  return api;
}

/** [result, error code] of one SetValue. */
function set(api: Api2004, element: string, value: string): [string, string] {
  return [api.SetValue(element, value), api.GetLastError()];
}

describe('scorm-again patches: the run-time data model', () => {
  describe('001 SetValue on a group or collection name is refused (401), the data model stays', () => {
    for (const element of ['cmi', 'adl', 'cmi.objectives', 'cmi.interactions', 'cmi.score', 'cmi.learner_preference', 'adl.nav', 'adl.data']) {
      it(`SetValue("${element}") → false / 401`, () => {
        const api = started2004();
        api.SetValue('cmi.location', 'page 3');
        expect(set(api, element, 'illegal')).to.deep.equal(['false', '401']);
        expect(api.GetValue('cmi.location')).to.equal('page 3');
        expect(api.GetValue('cmi.completion_status')).to.equal('unknown');
        expect(api.Terminate('')).to.equal('true');
      });
    }

    it('SetValue on a collection entry ("cmi.interactions.0") → false / 401, the entry keeps its id', () => {
      const api = started2004();
      api.SetValue('cmi.interactions.0.id', 'q1');
      expect(set(api, 'cmi.interactions.0', 'x')).to.deep.equal(['false', '401']);
      expect(api.GetValue('cmi.interactions.0.id')).to.equal('q1');
    });

    it('SCORM 1.2: LMSSetValue("cmi.core") → false / 401; lesson_location kept', () => {
      const api = started12();
      api.LMSSetValue('cmi.core.lesson_location', 'p3');
      expect(api.LMSSetValue('cmi.core', 'x')).to.equal('false');
      expect(api.LMSGetLastError()).to.equal('401');
      expect(api.LMSGetValue('cmi.core.lesson_location')).to.equal('p3');
      expect(api.LMSFinish('')).to.equal('true');
    });
  });

  describe('002 data model validation', () => {
    it('GetValue on a collection index that does not exist → "" / 301 (General Get Failure)', () => {
      const api = started2004();
      for (const element of ['cmi.objectives.0.id', 'cmi.interactions.5.id', 'adl.data.3.id', 'cmi.comments_from_lms.0.comment']) {
        expect([api.GetValue(element), api.GetLastError()], element).to.deep.equal(['', '301']);
      }
      api.SetValue('cmi.objectives.0.id', 'o1');
      expect([api.GetValue('cmi.objectives.1.id'), api.GetLastError()]).to.deep.equal(['', '301']);
      expect([api.GetValue('cmi.objectives.0.id'), api.GetLastError()]).to.deep.equal(['o1', '0']);
    });

    it('an index with leading zeros or signs names no element (401) and creates nothing', () => {
      const api = started2004();
      expect(set(api, 'cmi.objectives.00.id', 'o0')).to.deep.equal(['false', '401']);
      api.SetValue('cmi.interactions.0.id', 'q1');
      expect(set(api, 'cmi.interactions.01.id', 'q2')).to.deep.equal(['false', '401']);
      expect(set(api, 'cmi.interactions.+1.id', 'q2')).to.deep.equal(['false', '401']);
      expect([api.GetValue('cmi.interactions.00.id'), api.GetLastError()]).to.deep.equal(['', '401']);
      expect(api.GetValue('cmi.interactions._count')).to.equal('1');
      expect(api.GetValue('cmi.objectives._count')).to.equal('0');
    });

    it('empty characterstrings are values: cmi.location, comments, descriptions, adl.data stores', () => {
      const api = started2004();
      expect(set(api, 'cmi.location', '')).to.deep.equal(['true', '0']);
      expect(set(api, 'cmi.comments_from_learner.0.comment', '')).to.deep.equal(['true', '0']);
      expect(set(api, 'cmi.comments_from_learner.0.location', '')).to.deep.equal(['true', '0']);
      api.SetValue('cmi.objectives.0.id', 'o1');
      expect(set(api, 'cmi.objectives.0.description', '')).to.deep.equal(['true', '0']);
    });

    it('delivery_speed 0 is in range (real(10,7), 0..*)', () => {
      const api = started2004();
      expect(set(api, 'cmi.learner_preference.delivery_speed', '0.0')).to.deep.equal(['true', '0']);
      expect(set(api, 'cmi.learner_preference.delivery_speed', '0')).to.deep.equal(['true', '0']);
      expect(set(api, 'cmi.learner_preference.delivery_speed', '-1')).to.deep.equal(['false', '407']);
    });

    it('session_time: hours, minutes and seconds only after T; "P", "PT" refused (406)', () => {
      const api = started2004();
      for (const bad of ['P5S', 'PT', 'P', 'P1H']) expect(set(api, 'cmi.session_time', bad), bad).to.deep.equal(['false', '406']);
      for (const good of ['PT5S', 'P1D', 'P1DT2H3M4.5S', 'PT0S']) expect(set(api, 'cmi.session_time', good), good).to.deep.equal(['true', '0']);
    });

    it('fill-in correct response: a "{" that is no known delimiter is refused, known ones kept', () => {
      const api = started2004();
      api.SetValue('cmi.interactions.0.id', 'q1');
      api.SetValue('cmi.interactions.0.type', 'fill-in');
      expect(set(api, 'cmi.interactions.0.correct_responses.0.pattern', '{}{[]}{}')).to.deep.equal(['false', '406']);
      expect(set(api, 'cmi.interactions.0.correct_responses.0.pattern', '{case_matters=true}{lang=en}Paris')).to.deep.equal(['true', '0']);
      expect(set(api, 'cmi.interactions.0.learner_response', '{}{[]}{}')).to.deep.equal(['false', '406']);
    });
  });
});
