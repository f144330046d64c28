import { expect } from 'chai';
import { mergeScoState, type ScoRules } from '../../../server/scorm/cmi/sco-state.js';
import { validateCommit } from '../../../server/scorm/cmi/validate-commit.js';
import { lastCommitBody, runScorm12 } from './scorm-again-harness.js';

const noRules: ScoRules = { masteryScore: null, scaledPassingScore: null, completionThreshold: null, credit: 'credit' };
const accepted = (values: Record<string, string>): Map<string, string> => new Map(Object.entries(values));

describe('scorm/cmi/sco-state', () => {
  describe('merging', () => {
    it('overwrites stored values and keeps the ones the commit does not mention', () => {
      const { state } = mergeScoState({
        version: '2004',
        previous: { 'cmi.location': 'p1', 'cmi.suspend_data': 'old' },
        accepted: accepted({ 'cmi.location': 'p2' }),
        isTerminating: false,
        rules: noRules,
      });
      expect({ ...state }).to.deep.equal({ 'cmi.location': 'p2', 'cmi.suspend_data': 'old' });
    });

    it('lets "" clear exit and location but never a stored score or interaction field', () => {
      const previous = { 'cmi.exit': 'suspend', 'cmi.location': 'p1', 'cmi.score.raw': '7', 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.learner_response': 'a' };
      const { state } = mergeScoState({
        version: '2004',
        previous,
        accepted: accepted({ 'cmi.exit': '', 'cmi.location': '', 'cmi.score.raw': '', 'cmi.interactions.0.learner_response': '' }),
        isTerminating: false,
        rules: noRules,
      });
      expect(state).not.to.have.property('cmi.exit');
      expect(state).not.to.have.property('cmi.location');
      expect(state['cmi.score.raw']).to.equal('7');
      expect(state['cmi.interactions.0.learner_response']).to.equal('a');
    });

    it('does not store session time but reports it in seconds', () => {
      const { state, summary } = mergeScoState({ version: '1.2', previous: null, accepted: accepted({ 'cmi.core.session_time': '0000:02:30.50' }), isTerminating: false, rules: noRules });
      expect(state).not.to.have.property('cmi.core.session_time');
      expect(summary.sessionSeconds).to.equal(150.5);
    });

    it('gives a null-prototype state and drops prototype keys from a tampered stored state', () => {
      const previous = JSON.parse('{"__proto__":{"polluted":"yes"},"cmi.location":"p1"}') as Record<string, string>;
      const { state } = mergeScoState({ version: '2004', previous, accepted: new Map(), isTerminating: false, rules: noRules });
      expect(Object.getPrototypeOf(state)).to.equal(null);
      expect(Object.keys(state)).to.deep.equal(['cmi.location']);
      expect(Object.prototype).not.to.have.property('polluted');
    });
  });

  describe('SCORM 1.2 status', () => {
    it('maps each lesson_status to completion and success', () => {
      const expected: Record<string, [string, string]> = {
        passed: ['completed', 'passed'],
        failed: ['completed', 'failed'],
        completed: ['completed', 'unknown'],
        incomplete: ['incomplete', 'unknown'],
        browsed: ['incomplete', 'unknown'],
        'not attempted': ['not attempted', 'unknown'],
      };
      for (const [status, [completion, success]] of Object.entries(expected)) {
        const { summary } = mergeScoState({ version: '1.2', previous: null, accepted: accepted({ 'cmi.core.lesson_status': status }), isTerminating: false, rules: noRules });
        expect([summary.completionStatus, summary.successStatus], status).to.deep.equal([completion, success]);
      }
    });

    it('records "completed" when the SCO set no status and called LMSFinish (real scorm-again commit)', async () => {
      const commits = await runScorm12({ cmi: { core: { student_id: 'e1', credit: 'credit', lesson_mode: 'normal' } } }, (api) => {
        api.LMSInitialize('');
        api.LMSFinish('');
      });
      const body = lastCommitBody(commits) as { cmi: { core: { lesson_status: string } } };
      expect(body.cmi.core.lesson_status).to.equal('not attempted'); // the scorm-again quirk this rule covers
      const { accepted: values } = validateCommit('1.2', body);
      const during = mergeScoState({ version: '1.2', previous: null, accepted: values, isTerminating: false, rules: noRules });
      expect(during.summary.completionStatus).to.equal('not attempted');
      const finished = mergeScoState({ version: '1.2', previous: null, accepted: values, isTerminating: true, rules: noRules });
      expect(finished.summary.completionStatus).to.equal('completed');
      expect(finished.state['cmi.core.lesson_status']).to.equal('completed');
    });

    it('does not count the default score.max "100" as a score', async () => {
      const commits = await runScorm12({}, (api) => {
        api.LMSInitialize('');
        api.LMSFinish('');
      });
      const body = lastCommitBody(commits) as { cmi: { core: { score: { max: string } } } };
      expect(body.cmi.core.score.max).to.equal('100');
      const { summary } = mergeScoState({ version: '1.2', previous: null, accepted: validateCommit('1.2', body).accepted, isTerminating: true, rules: noRules });
      expect(summary.scoreRaw).to.equal(null);
      expect(summary.scoreScaled).to.equal(null);
    });

    it('decides passed / failed from the mastery score at LMSFinish with credit only', () => {
      const rules: ScoRules = { ...noRules, masteryScore: 80 };
      const at = (raw: string, isTerminating: boolean, credit: ScoRules['credit'] = 'credit') =>
        mergeScoState({ version: '1.2', previous: null, accepted: accepted({ 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': raw }), isTerminating, rules: { ...rules, credit } }).summary.successStatus;
      expect(at('80', true)).to.equal('passed');
      expect(at('79.5', true)).to.equal('failed');
      expect(at('95', false)).to.equal('unknown');
      expect(at('95', true, 'no-credit')).to.equal('unknown');
    });

    it('keeps a score of 0 as a score', () => {
      const { summary } = mergeScoState({ version: '1.2', previous: null, accepted: accepted({ 'cmi.core.score.raw': '0' }), isTerminating: false, rules: noRules });
      expect(summary.scoreRaw).to.equal(0);
      expect(summary.scoreScaled).to.equal(0);
    });

    it('never downgrades a recorded pass, and keeps the score that earned it', () => {
      const previous = { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '90' };
      const { state, summary } = mergeScoState({
        version: '1.2',
        previous,
        accepted: accepted({ 'cmi.core.lesson_status': 'failed', 'cmi.core.score.raw': '40' }),
        isTerminating: true,
        rules: { ...noRules, masteryScore: 80 },
      });
      expect(summary.successStatus).to.equal('passed');
      expect(state['cmi.core.lesson_status']).to.equal('passed');
      expect(summary.scoreRaw).to.equal(90);
    });

    it('never takes back completion, but lets a failure become a pass', () => {
      const merge = (before: string, after: string): string =>
        mergeScoState({ version: '1.2', previous: { 'cmi.core.lesson_status': before }, accepted: accepted({ 'cmi.core.lesson_status': after }), isTerminating: false, rules: noRules }).state['cmi.core.lesson_status'] ?? '';
      expect(merge('completed', 'incomplete')).to.equal('completed');
      expect(merge('failed', 'incomplete')).to.equal('failed');
      expect(merge('failed', 'passed')).to.equal('passed');
      expect(merge('incomplete', 'completed')).to.equal('completed');
    });
  });

  describe('SCORM 2004 status', () => {
    it('derives success from the scaled passing score and completion from the threshold', () => {
      const rules: ScoRules = { ...noRules, scaledPassingScore: 0.8, completionThreshold: 0.9 };
      const run = (values: Record<string, string>) => mergeScoState({ version: '2004', previous: null, accepted: accepted(values), isTerminating: false, rules }).summary;
      expect(run({ 'cmi.score.scaled': '0.8', 'cmi.progress_measure': '0.9' })).to.include({ successStatus: 'passed', completionStatus: 'completed' });
      expect(run({ 'cmi.score.scaled': '0.79', 'cmi.progress_measure': '0.5', 'cmi.completion_status': 'completed' })).to.include({ successStatus: 'failed', completionStatus: 'incomplete' });
      expect(run({ 'cmi.success_status': 'passed' })).to.include({ successStatus: 'unknown' });
      expect(run({ 'cmi.completion_status': 'completed' })).to.include({ completionStatus: 'completed' });
    });

    it('takes the SCO\'s word when the manifest sets no thresholds', () => {
      const { summary } = mergeScoState({ version: '2004', previous: null, accepted: accepted({ 'cmi.success_status': 'failed', 'cmi.completion_status': 'incomplete' }), isTerminating: true, rules: noRules });
      expect(summary).to.include({ successStatus: 'failed', completionStatus: 'incomplete' });
    });

    it('never downgrades passed or completed within the attempt', () => {
      const previous = { 'cmi.success_status': 'passed', 'cmi.completion_status': 'completed', 'cmi.score.scaled': '0.9' };
      const { state, summary } = mergeScoState({
        version: '2004',
        previous,
        accepted: accepted({ 'cmi.success_status': 'failed', 'cmi.completion_status': 'incomplete', 'cmi.score.scaled': '0.2' }),
        isTerminating: false,
        rules: noRules,
      });
      expect(summary).to.include({ successStatus: 'passed', completionStatus: 'completed', scoreScaled: 0.9 });
      expect(state['cmi.success_status']).to.equal('passed');
      expect(state['cmi.completion_status']).to.equal('completed');
    });

    it('reports location, exit and a score of 0', () => {
      const { summary } = mergeScoState({
        version: '2004',
        previous: null,
        accepted: accepted({ 'cmi.location': 'page-3', 'cmi.exit': 'suspend', 'cmi.score.scaled': '0', 'cmi.score.raw': '0', 'cmi.session_time': 'PT1M5S' }),
        isTerminating: true,
        rules: noRules,
      });
      expect(summary).to.deep.equal({
        completionStatus: 'unknown',
        successStatus: 'unknown',
        scoreRaw: 0,
        scoreScaled: 0,
        location: 'page-3',
        exit: 'suspend',
        sessionSeconds: 65,
      });
    });

    it('derives a scaled score from raw only when min and max are both known', () => {
      const scaledOf = (values: Record<string, string>) => mergeScoState({ version: '2004', previous: null, accepted: accepted(values), isTerminating: false, rules: noRules }).summary.scoreScaled;
      expect(scaledOf({ 'cmi.score.raw': '15', 'cmi.score.min': '0', 'cmi.score.max': '20' })).to.equal(0.75);
      expect(scaledOf({ 'cmi.score.raw': '15' })).to.equal(null);
    });
  });
});
