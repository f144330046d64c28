import { expect } from 'chai';
import { extractInteractions } from '../../../server/scorm/cmi/interactions.js';

describe('scorm/cmi/interactions', () => {
  it('reads SCORM 1.2 interactions with student_response and time, in index order', () => {
    const state = {
      'cmi.interactions.1.id': 'q2',
      'cmi.interactions.1.type': 'true-false',
      'cmi.interactions.1.student_response': 't',
      'cmi.interactions.1.result': 'wrong',
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.0.type': 'choice',
      'cmi.interactions.0.student_response': 'a,b',
      'cmi.interactions.0.correct_responses.0.pattern': 'a,b',
      'cmi.interactions.0.correct_responses.1.pattern': 'b,a',
      'cmi.interactions.0.result': 'correct',
      'cmi.interactions.0.latency': '0000:00:12.00',
      'cmi.interactions.0.time': '09:15:00',
      'cmi.core.lesson_status': 'passed',
    };
    expect(extractInteractions('1.2', state)).to.deep.equal([
      { idx: 0, interactionId: 'q1', type: 'choice', learnerResponse: 'a,b', correctResponse: 'a,b', result: 'correct', latency: '0000:00:12.00', recordedAt: '09:15:00' },
      { idx: 1, interactionId: 'q2', type: 'true-false', learnerResponse: 't', correctResponse: null, result: 'wrong', latency: null, recordedAt: null },
    ]);
  });

  it('reads SCORM 2004 learner_response and timestamp, and skips entries without an id', () => {
    const state = {
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.0.learner_response': '1[.]a[,]2[.]b',
      'cmi.interactions.0.student_response': 'ignored in 2004',
      'cmi.interactions.0.timestamp': '2024-05-01T09:30:00.1Z',
      'cmi.interactions.1.result': 'correct',
    };
    const [first, ...rest] = extractInteractions('2004', state);
    expect(rest).to.deep.equal([]);
    expect(first).to.include({ idx: 0, interactionId: 'q1', learnerResponse: '1[.]a[,]2[.]b', recordedAt: '2024-05-01T09:30:00.1Z', type: null });
  });

  it('ignores names that only look like interactions', () => {
    const state = { 'cmi.interactions.01.id': 'x', 'cmi.interactions._count': '3', 'cmi.interactionsX.0.id': 'y' };
    expect(extractInteractions('2004', state)).to.deep.equal([]);
  });
});
