import { expect } from 'chai';
import type { CmiVersion } from '../../../server/scorm/cmi/error-codes.js';
import { validateElement, type ElementVerdict } from '../../../server/scorm/cmi/validate-element.js';

const lookupFrom = (values: Record<string, string>) => (element: string): string | undefined => values[element];

function refusalCode(verdict: ElementVerdict): number | null {
  return verdict.outcome === 'refused' ? verdict.errorCode : null;
}

function acceptedValue(verdict: ElementVerdict): string | null {
  return verdict.outcome === 'accepted' ? verdict.value : null;
}

describe('scorm/cmi/validate-element', () => {
  describe('status words (strict)', () => {
    it('accepts every SCORM 1.2 lesson_status word, including the runtime default "not attempted"', () => {
      for (const word of ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted']) {
        expect(acceptedValue(validateElement('1.2', 'cmi.core.lesson_status', word)), word).to.equal(word);
      }
    });

    it('refuses unknown or mis-cased status words with 405 (1.2) / 406 (2004)', () => {
      for (const word of ['Passed', 'done', 'passed ', '']) {
        expect(refusalCode(validateElement('1.2', 'cmi.core.lesson_status', word)), word).to.equal(405);
      }
      expect(refusalCode(validateElement('2004', 'cmi.success_status', 'ok'))).to.equal(406);
      expect(refusalCode(validateElement('2004', 'cmi.completion_status', 'passed'))).to.equal(406);
      expect(refusalCode(validateElement('2004', 'cmi.exit', 'suspended'))).to.equal(406);
      expect(refusalCode(validateElement('1.2', 'cmi.core.exit', 'normal'))).to.equal(405);
    });

    it('accepts the empty exit of both versions', () => {
      expect(acceptedValue(validateElement('1.2', 'cmi.core.exit', ''))).to.equal('');
      expect(acceptedValue(validateElement('2004', 'cmi.exit', ''))).to.equal('');
    });
  });

  describe('scores (strict)', () => {
    it('keeps SCORM 1.2 scores within 0..100 and accepts the blank default', () => {
      expect(acceptedValue(validateElement('1.2', 'cmi.core.score.raw', '0'))).to.equal('0');
      expect(acceptedValue(validateElement('1.2', 'cmi.core.score.raw', '100'))).to.equal('100');
      expect(acceptedValue(validateElement('1.2', 'cmi.core.score.raw', ''))).to.equal('');
      expect(refusalCode(validateElement('1.2', 'cmi.core.score.raw', '101'))).to.equal(405);
      expect(refusalCode(validateElement('1.2', 'cmi.core.score.min', '-1'))).to.equal(405);
      expect(refusalCode(validateElement('1.2', 'cmi.objectives.0.score.raw', '100.01'))).to.equal(405);
      expect(refusalCode(validateElement('1.2', 'cmi.core.score.raw', 'eighty'))).to.equal(405);
    });

    it('keeps SCORM 2004 scaled scores in -1..1 (407) and raw scores real (406)', () => {
      expect(acceptedValue(validateElement('2004', 'cmi.score.scaled', '-1'))).to.equal('-1');
      expect(acceptedValue(validateElement('2004', 'cmi.score.scaled', '0'))).to.equal('0');
      expect(refusalCode(validateElement('2004', 'cmi.score.scaled', '1.5'))).to.equal(407);
      expect(refusalCode(validateElement('2004', 'cmi.score.scaled', '-1.0001'))).to.equal(407);
      expect(acceptedValue(validateElement('2004', 'cmi.score.raw', '250'))).to.equal('250');
      expect(refusalCode(validateElement('2004', 'cmi.score.raw', '1e3'))).to.equal(406);
      expect(refusalCode(validateElement('2004', 'cmi.progress_measure', '1.2'))).to.equal(407);
    });
  });

  describe('times', () => {
    it('refuses malformed session times in both formats', () => {
      for (const bad of ['1:75:00', 'PT5M', '00:05']) {
        expect(refusalCode(validateElement('1.2', 'cmi.core.session_time', bad)), bad).to.equal(405);
      }
      for (const bad of ['P5S', 'PT', '00:05:00', 'PT5X']) {
        expect(refusalCode(validateElement('2004', 'cmi.session_time', bad)), bad).to.equal(406);
      }
      expect(acceptedValue(validateElement('1.2', 'cmi.core.session_time', '0000:05:00.00'))).to.equal('0000:05:00.00');
      expect(acceptedValue(validateElement('2004', 'cmi.session_time', 'PT5M'))).to.equal('PT5M');
    });

    it('checks interaction time of day (1.2) and timestamps (2004)', () => {
      expect(refusalCode(validateElement('1.2', 'cmi.interactions.0.time', '25:00:00'))).to.equal(405);
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.timestamp', '2024-05-01T09:30:00.123Z', lookupFrom({ 'cmi.interactions.0.id': 'q1' })))).to.equal('2024-05-01T09:30:00.12Z');
    });
  });

  describe('suspend data (64,000 characters in both versions)', () => {
    const chinese = (length: number): string => '中'.repeat(length);
    for (const version of ['1.2', '2004'] as CmiVersion[]) {
      it(`${version}: counts Chinese as characters, accepting 64,000 and refusing 64,001`, () => {
        expect(Buffer.byteLength(chinese(64000), 'utf8')).to.equal(192000);
        expect(acceptedValue(validateElement(version, 'cmi.suspend_data', chinese(64000)))).to.equal(chinese(64000));
        expect(refusalCode(validateElement(version, 'cmi.suspend_data', chinese(64001)))).to.equal(version === '1.2' ? 405 : 406);
      });
    }
  });

  describe('element names and indexes', () => {
    it('refuses names outside the data model with 401', () => {
      expect(refusalCode(validateElement('1.2', 'cmi.core.favourite_colour', 'x'))).to.equal(401);
      expect(refusalCode(validateElement('2004', 'cmi.core.lesson_status', 'passed'))).to.equal(401);
      expect(refusalCode(validateElement('1.2', 'cmi.location', 'x'))).to.equal(401);
      expect(refusalCode(validateElement('2004', 'cmi.__proto__.polluted', 'x'))).to.equal(401);
    });

    it('refuses keywords with 402 (1.2) / 404 (2004)', () => {
      expect(refusalCode(validateElement('1.2', 'cmi.interactions._count', '3'))).to.equal(402);
      expect(refusalCode(validateElement('2004', 'cmi.objectives._children', 'id'))).to.equal(404);
      expect(refusalCode(validateElement('2004', 'cmi._version', '1.0'))).to.equal(404);
    });

    it('refuses an absurd index like 999999999 as beyond the collection limit', () => {
      expect(refusalCode(validateElement('1.2', 'cmi.interactions.999999999.id', 'q'))).to.equal(201);
      expect(refusalCode(validateElement('2004', 'cmi.interactions.999999999.id', 'q'))).to.equal(351);
      expect(refusalCode(validateElement('2004', 'cmi.objectives.250.id', 'o'))).to.equal(351);
      expect(acceptedValue(validateElement('2004', 'cmi.objectives.249.id', 'o'))).to.equal('o');
    });

    it('refuses indexes with leading zeros or other non-canonical spellings', () => {
      for (const element of ['cmi.interactions.01.id', 'cmi.interactions.00.id', 'cmi.interactions.-1.id', 'cmi.interactions.1e3.id', 'cmi.interactions.x.id']) {
        expect(refusalCode(validateElement('2004', element, 'q')), element).to.equal(401);
      }
    });

    it('ignores LMS-owned elements echoed by the runtime instead of refusing them', () => {
      for (const element of ['cmi.core.student_id', 'cmi.core.total_time', 'cmi.core.credit', 'cmi.core.lesson_mode', 'cmi.launch_data', 'cmi.student_data.mastery_score']) {
        expect(validateElement('1.2', element, 'anything').outcome, element).to.equal('ignored');
      }
      for (const element of ['cmi.learner_id', 'cmi.total_time', 'cmi.credit', 'cmi.mode', 'cmi.launch_data', 'cmi.scaled_passing_score', 'adl.data.0.id', 'adl.nav.request_valid.choice.{target=a.b}']) {
        expect(validateElement('2004', element, 'anything').outcome, element).to.equal('ignored');
      }
    });
  });

  describe('identifiers', () => {
    it('trims padded ids and refuses ids beyond the version limit rather than truncating them', () => {
      const withId = lookupFrom({});
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.id', '  q1  ', withId))).to.equal('q1');
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.id', 'x'.repeat(4000)))).to.have.length(4000);
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.id', 'x'.repeat(4001)))).to.equal(406);
      expect(acceptedValue(validateElement('1.2', 'cmi.interactions.0.id', 'Scene 1.Slide 3'))).to.equal('Scene 1.Slide 3');
      expect(refusalCode(validateElement('1.2', 'cmi.interactions.0.id', 'x'.repeat(256)))).to.equal(405);
    });
  });

  describe('interaction responses', () => {
    const choice = lookupFrom({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'choice' });
    const matching = lookupFrom({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'matching' });

    it('normalises padded SCORM 2004 answer patterns', () => {
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.correct_responses.0.pattern', ' a [,] b ', choice))).to.equal('a[,]b');
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.learner_response', ' 1[.]a [,] 2 [.] b', matching))).to.equal('1[.]a[,]2[.]b');
      const fillIn = lookupFrom({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'fill-in' });
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.correct_responses.0.pattern', '{case_matters=true} Paris [,] Lyon ', fillIn))).to.equal('{case_matters=true}Paris[,]Lyon');
    });

    it('normalises padded SCORM 1.2 answer patterns', () => {
      const choice12 = lookupFrom({ 'cmi.interactions.0.type': 'choice' });
      expect(acceptedValue(validateElement('1.2', 'cmi.interactions.0.correct_responses.0.pattern', ' a , b ', choice12))).to.equal('a,b');
      expect(acceptedValue(validateElement('1.2', 'cmi.interactions.0.student_response', ' { a , b } ', choice12))).to.equal('{a,b}');
    });

    it('refuses meaningless patterns that scorm-again lets through', () => {
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.correct_responses.0.pattern', '{}{[]}{}', choice))).to.equal(406);
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.learner_response', '1[,]2', matching))).to.equal(406);
      const trueFalse = lookupFrom({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'true-false' });
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.learner_response', 'maybe', trueFalse))).to.equal(406);
      const numeric = lookupFrom({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'numeric' });
      expect(acceptedValue(validateElement('2004', 'cmi.interactions.0.correct_responses.0.pattern', '1 [:] 5', numeric))).to.equal('1[:]5');
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.learner_response', 'ten', numeric))).to.equal(406);
    });

    it('2004: needs the interaction id, and the type before responses (408)', () => {
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.result', 'correct', lookupFrom({})))).to.equal(408);
      expect(refusalCode(validateElement('2004', 'cmi.interactions.0.learner_response', 'a', lookupFrom({ 'cmi.interactions.0.id': 'q1' })))).to.equal(408);
      expect(refusalCode(validateElement('2004', 'cmi.objectives.0.success_status', 'passed', lookupFrom({})))).to.equal(408);
      expect(acceptedValue(validateElement('2004', 'cmi.objectives.0.success_status', 'passed', lookupFrom({ 'cmi.objectives.0.id': 'o1' })))).to.equal('passed');
    });
  });
});
