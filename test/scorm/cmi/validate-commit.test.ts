import { expect } from 'chai';
import { validateCommit } from '../../../server/scorm/cmi/validate-commit.js';
import { lastCommitBody, runScorm12, runScorm2004 } from './scorm-again-harness.js';

describe('scorm/cmi/validate-commit', () => {
  it('keeps every valid element when one element is refused', () => {
    const body = { cmi: { core: { lesson_status: 'passed', lesson_location: 'page-7', score: { raw: '150', max: '100' } }, suspend_data: 'state' } };
    const { accepted, refused } = validateCommit('1.2', body);
    expect(refused).to.deep.equal([{ element: 'cmi.core.score.raw', errorCode: 405, message: '150 is outside 0..100' }]);
    expect([...accepted]).to.deep.equal([
      ['cmi.core.lesson_status', 'passed'],
      ['cmi.core.lesson_location', 'page-7'],
      ['cmi.core.score.max', '100'],
      ['cmi.suspend_data', 'state'],
    ]);
  });

  it('answers a non-object body with one refusal and nothing accepted', () => {
    for (const body of ['{"cmi":{}}', null, 7, [{ cmi: {} }]]) {
      const result = validateCommit('2004', body);
      expect(result.accepted.size).to.equal(0);
      expect(result.refused).to.have.length(1);
      expect(result.refused[0]?.errorCode).to.equal(351);
    }
  });

  it('refuses prototype keys without polluting Object.prototype, and keeps the rest', () => {
    const body = JSON.parse('{"cmi":{"__proto__":{"isAdmin":"true"},"constructor":{"prototype":{"isAdmin":"true"}},"location":"p2"}}');
    const { accepted, refused } = validateCommit('2004', body);
    expect([...accepted]).to.deep.equal([['cmi.location', 'p2']]);
    expect(refused.map((entry) => entry.errorCode)).to.deep.equal([401, 401]);
    expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
    expect(Object.prototype).not.to.have.property('isAdmin');
  });

  it('refuses an interaction at index 999999999 and keeps interaction 0', () => {
    const body = { cmi: { interactions: { 0: { id: 'q1', type: 'choice' }, 999999999: { id: 'q2' } } } };
    const { accepted, refused } = validateCommit('2004', body);
    expect(accepted.get('cmi.interactions.0.id')).to.equal('q1');
    expect(refused).to.have.length(1);
    expect(refused[0]).to.include({ element: 'cmi.interactions.999999999.id', errorCode: 351 });
  });

  it('refuses a leading-zero index even though scorm-again accepts it', () => {
    const { accepted, refused } = validateCommit('1.2', { 'cmi.interactions.0.id': 'q1', 'cmi.interactions.01.id': 'q2' });
    expect([...accepted.keys()]).to.deep.equal(['cmi.interactions.0.id']);
    expect(refused).to.deep.include({ element: 'cmi.interactions.01.id', errorCode: 401, message: '"01" is not a collection index' });
  });

  it('refuses entries that leave a gap in a collection, unless the stored state fills it', () => {
    const body = { cmi: { interactions: { 0: { id: 'q1' }, 2: { id: 'q3' } } } };
    const alone = validateCommit('2004', body);
    expect(alone.refused.map((entry) => entry.element)).to.deep.equal(['cmi.interactions.2.id']);
    const withStored = validateCommit('2004', body, { 'cmi.interactions.1.id': 'q2' });
    expect(withStored.refused).to.deep.equal([]);
    expect(withStored.accepted.get('cmi.interactions.2.id')).to.equal('q3');
  });

  it('refuses an element named twice (nested and dotted) and keeps the first', () => {
    const { accepted, refused } = validateCommit('2004', { cmi: { location: 'a' }, 'cmi.location': 'b' });
    expect(accepted.get('cmi.location')).to.equal('a');
    expect(refused).to.deep.equal([{ element: 'cmi.location', errorCode: 351, message: 'element appears twice in the commit' }]);
  });

  it('reads an interaction type stored by an earlier commit to check a later response', () => {
    const stored = { 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'true-false' };
    const good = validateCommit('2004', { cmi: { interactions: { 0: { id: 'q1', type: '', learner_response: ' TRUE ' } } } }, stored);
    expect(good.accepted.get('cmi.interactions.0.learner_response')).to.equal('true');
    const bad = validateCommit('2004', { cmi: { interactions: { 0: { learner_response: 'yes' } } } }, stored);
    expect(bad.refused[0]).to.include({ element: 'cmi.interactions.0.learner_response', errorCode: 406 });
  });

  it('ignores the LMS-owned elements of a real scorm-again 1.2 commit and refuses nothing', async () => {
    const commits = await runScorm12({ cmi: { core: { student_id: 'e1001', student_name: 'Li, Lei', credit: 'credit', lesson_mode: 'normal', entry: 'ab-initio' } } }, (api) => {
      api.LMSInitialize('');
      api.LMSSetValue('cmi.core.lesson_location', 'slide-4');
      api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
      api.LMSSetValue('cmi.interactions.0.id', 'q1');
      api.LMSSetValue('cmi.interactions.0.type', 'choice');
      api.LMSSetValue('cmi.interactions.0.student_response', 'b');
      api.LMSCommit('');
    });
    expect(commits.map((commit) => [commit.transport, commit.contentType])).to.deep.equal([['xhr', 'application/json;charset=UTF-8']]);
    const { accepted, refused, ignored } = validateCommit('1.2', lastCommitBody(commits));
    expect(refused).to.deep.equal([]);
    expect(ignored).to.include.members(['cmi.core.student_id', 'cmi.core.student_name', 'cmi.core.credit', 'cmi.core.entry', 'cmi.core.lesson_mode']);
    expect(accepted.get('cmi.core.lesson_location')).to.equal('slide-4');
    expect(accepted.get('cmi.interactions.0.student_response')).to.equal('b');
    expect(accepted.has('cmi.core.student_id')).to.equal(false);
  });

  it('reads the text/plain terminate beacon of scorm-again 2004, including adl.data, without refusals', async () => {
    const launch = { cmi: { learner_id: 'e1001', objectives: [{ id: 'obj-1' }] }, adl: { data: [{ id: 'com.example.shared' }] } };
    const commits = await runScorm2004(launch, (api) => {
      api.Initialize('');
      api.SetValue('cmi.objectives.0.success_status', 'passed');
      api.SetValue('adl.data.0.store', '共享');
      api.SetValue('cmi.session_time', 'PT2M');
      api.SetValue('cmi.exit', 'suspend');
      api.Terminate('');
    });
    const beacon = commits[commits.length - 1];
    expect(beacon?.transport).to.equal('beacon');
    expect(beacon?.contentType.toLowerCase()).to.equal('text/plain;charset=utf-8');
    const { accepted, refused, ignored } = validateCommit('2004', lastCommitBody(commits));
    expect(refused).to.deep.equal([]);
    expect(accepted.get('cmi.objectives.0.id')).to.equal('obj-1');
    expect(accepted.get('cmi.objectives.0.success_status')).to.equal('passed');
    expect(accepted.get('adl.data.0.store')).to.equal('共享');
    expect(accepted.get('cmi.exit')).to.equal('suspend');
    expect(ignored).to.include.members(['cmi.learner_id', 'cmi.total_time', 'adl.data.0.id']);
  });

  describe('remembered verdicts (the same element and value arrive in every commit)', () => {
    const response = { cmi: { interactions: { 0: { learner_response: '3.5' } } } };
    const storedWith = (type: string) => ({ 'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': type });

    it('judges a repeated value again when what it depends on has changed', () => {
      for (let round = 0; round < 2; round += 1) {
        expect(validateCommit('2004', response, storedWith('numeric')).accepted.get('cmi.interactions.0.learner_response')).to.equal('3.5');
        const asChoice = validateCommit('2004', response, storedWith('true-false'));
        expect(asChoice.refused.map((r) => [r.element, r.errorCode])).to.deep.equal([['cmi.interactions.0.learner_response', 406]]);
      }
      const withoutId = validateCommit('2004', response, { 'cmi.interactions.0.type': 'numeric' });
      expect(withoutId.refused.map((r) => [r.element, r.errorCode])).to.deep.equal([['cmi.interactions.0.learner_response', 408]]);
    });

    it('keeps versions apart: a value valid in one is judged afresh in the other', () => {
      expect(validateCommit('2004', { cmi: { completion_status: 'completed' } }).refused).to.deep.equal([]);
      expect(validateCommit('1.2', { cmi: { completion_status: 'completed' } }).refused.map((r) => r.errorCode)).to.deep.equal([401]);
    });
  });
});
