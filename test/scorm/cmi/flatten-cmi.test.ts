import { expect } from 'chai';
import { flattenCmi } from '../../../server/scorm/cmi/flatten-cmi.js';

describe('scorm/cmi/flatten-cmi', () => {
  it('flattens scorm-again JSON, whose collections are objects keyed "0", "1", ...', () => {
    const body = JSON.parse('{"cmi":{"core":{"lesson_status":"passed","score":{"raw":"85"}},"interactions":{"0":{"id":"q1"},"3":{"id":"q4","correct_responses":{"0":{"pattern":"a"}}}}}}');
    expect(flattenCmi(body).entries).to.deep.equal([
      ['cmi.core.lesson_status', 'passed'],
      ['cmi.core.score.raw', '85'],
      ['cmi.interactions.0.id', 'q1'],
      ['cmi.interactions.3.id', 'q4'],
      ['cmi.interactions.3.correct_responses.0.pattern', 'a'],
    ]);
  });

  it('reads real arrays and already-dotted keys as the same element names', () => {
    const nested = flattenCmi({ cmi: { objectives: [{ id: 'o1' }, { id: 'o2' }] } }).entries;
    const dotted = flattenCmi({ 'cmi.objectives.0.id': 'o1', 'cmi.objectives.1.id': 'o2' }).entries;
    expect(nested).to.deep.equal([['cmi.objectives.0.id', 'o1'], ['cmi.objectives.1.id', 'o2']]);
    expect(dotted).to.deep.equal(nested);
  });

  it('turns numbers and booleans into strings and skips null, empty objects and empty arrays', () => {
    const { entries, problems } = flattenCmi({ cmi: { score: { raw: 0, max: 99.5 }, flag: true, exit: null, comments_from_lms: {}, list: [] } });
    expect(entries).to.deep.equal([['cmi.score.raw', '0'], ['cmi.score.max', '99.5'], ['cmi.flag', 'true']]);
    expect(problems).to.deep.equal([]);
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, undefined, 'cmi', 42, true, ['cmi']]) {
      const result = flattenCmi(body);
      expect(result.entries, String(body)).to.deep.equal([]);
      expect(result.problems, String(body)).to.deep.equal([{ element: '', reason: 'not-an-object' }]);
    }
  });

  it('refuses __proto__, constructor and prototype keys with their subtree and never touches Object.prototype', () => {
    const body = JSON.parse(
      '{"cmi":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"core":{"lesson_status":"passed"}},' +
        '"cmi.__proto__.polluted":"yes","prototype":"x"}',
    );
    const { entries, problems } = flattenCmi(body);
    expect(entries).to.deep.equal([['cmi.core.lesson_status', 'passed']]);
    expect(problems.map((problem) => problem.reason)).to.deep.equal(['forbidden-key', 'forbidden-key', 'forbidden-key', 'forbidden-key']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.prototype).not.to.have.property('polluted');
  });

  it('stops at the depth limit instead of following huge nesting', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let level = 0; level < 10000; level += 1) deep = { a: deep };
    const { entries, problems } = flattenCmi({ cmi: deep, ok: 'y' }, { maxDepth: 8 });
    expect(entries).to.deep.equal([['ok', 'y']]);
    expect(problems).to.have.length(1);
    expect(problems[0]?.reason).to.equal('too-deep');
  });

  it('survives a cyclic object (not possible from JSON, but nothing is assumed)', () => {
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const { entries, problems } = flattenCmi({ cmi: cyclic });
    expect(entries[0]).to.deep.equal(['cmi.id', 'x']);
    expect(problems.some((problem) => problem.reason === 'too-deep')).to.equal(true);
  });

  it('stops reading after the entry limit and says so', () => {
    const interactions: Record<string, { id: string }> = {};
    for (let index = 0; index < 100; index += 1) interactions[String(index)] = { id: `q${index}` };
    const { entries, problems } = flattenCmi({ cmi: { interactions } }, { maxEntries: 10 });
    expect(entries).to.have.length(10);
    expect(problems).to.deep.equal([{ element: '', reason: 'too-many-elements' }]);
  });

  it('refuses empty segments and over-long names', () => {
    const { entries, problems } = flattenCmi({ 'cmi..location': 'a', ['cmi.' + 'x'.repeat(300)]: 'b', cmi: { location: 'c' } });
    expect(entries).to.deep.equal([['cmi.location', 'c']]);
    expect(problems.map((problem) => problem.reason)).to.deep.equal(['malformed-key', 'malformed-key']);
    expect(problems[1]?.element.length).to.be.below(300);
  });

  it('leaves out skipped root keys such as scorm-again\'s sharedData', () => {
    const { entries } = flattenCmi({ cmi: { location: 'p1' }, sharedData: { 'com.example.data': 'x' } }, { skipRootKeys: ['sharedData'] });
    expect(entries).to.deep.equal([['cmi.location', 'p1']]);
  });
});
