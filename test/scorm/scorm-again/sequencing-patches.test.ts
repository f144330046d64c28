// Patch 004: sequencing engine defects (SCORM 2004 4th Ed. SN book), on a bare Scorm2004API with
// the settings shape the LMS builds (server/scorm/sequencing/build-sequencing-settings.ts).
import { expect } from 'chai';
import * as scorm2004 from 'scorm-again/scorm2004';

interface Api2004 {
  Initialize(p: string): string; Terminate(p: string): string; GetValue(e: string): string; SetValue(e: string, v: string): string; GetLastError(): string;
  processNavigationRequest(request: string, target?: string): boolean;
}
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: object) => Api2004 };

interface Activity { id: string; title?: string; children?: Activity[]; [key: string]: unknown }

function engine(root: Activity): { api: Api2004; delivered: string[] } {
  const delivered: string[] = [];
  const withTitles = (a: Activity): Activity => ({ ...a, title: a.title ?? a.id, ...(a.children ? { children: a.children.map(withTitles) } : {}) });
  const api = new Scorm2004API({
    logLevel: 5, lmsCommitUrl: false, autocommit: false,
    sequencing: { activityTree: withTitles(root), autoRollupOnCMIChange: true, logLevel: 'error', eventListeners: { onActivityDelivery: (a: { id: string }) => delivered.push(a.id) } },
  });
  return { api, delivered };
}

const FLOW = { sequencingControls: { choice: true, flow: true } };

  /** The validity map after `setup`, and what a real choice of each leaf does from that state. */
  function compare(root: Activity, setup: (api: Api2004) => void): Array<[string, string | undefined, boolean]> {
    let choice: Record<string, string> | undefined;
    const delivered: string[] = [];
    const withTitles = (a: Activity): Activity => ({ ...a, title: a.id, ...(a.children ? { children: a.children.map(withTitles) } : {}) });
    const settings = (onDelivery: (a: { id: string }) => void) => ({
      logLevel: 5, lmsCommitUrl: false, autocommit: false,
      sequencing: { activityTree: withTitles(root), logLevel: 'error', eventListeners: {
        onActivityDelivery: onDelivery, onNavigationValidityUpdate: (v: { choice: Record<string, string> }) => { choice = v.choice; } } },
    });
    const api = new Scorm2004API(settings(() => undefined)) as Api2004 & { serializeSequencingState(): string };
    setup(api);
    const state = api.serializeSequencingState();
    const leaves = (a: Activity): string[] => (a.children ? a.children.flatMap(leaves) : [a.id]);
    return leaves(root).map((id) => {
      delivered.length = 0;
      const scratch = new Scorm2004API(settings((a) => delivered.push(a.id))) as Api2004 & { deserializeSequencingState(s: string): void };
      scratch.deserializeSequencingState(state);
      scratch.processNavigationRequest('choice', id);
      return [id, choice?.[id], delivered.length > 0];
    });
  }

describe('scorm-again patches: 004 sequencing', () => {
  it('an attempt duration limit is not a precondition: start delivers the limited activity (SN UP.1)', () => {
    const { api, delivered } = engine({ id: 'root', ...FLOW, children: [{ id: 'a', attemptAbsoluteDurationLimit: 'PT1H' }, { id: 'b' }] });
    expect(api.processNavigationRequest('start')).to.equal(true);
    expect(delivered).to.deep.equal(['a']);
  });

  it('a choice of a cluster whose flow is false delivers nothing (SB.2.9 step 13, SB.2.2-1)', () => {
    const { api, delivered } = engine({ id: 'root', ...FLOW, children: [{ id: 'c1', sequencingControls: { choice: true, flow: false }, children: [{ id: 'x' }, { id: 'y' }] }, { id: 'b' }] });
    expect(api.processNavigationRequest('choice', 'c1')).to.equal(false);
    expect(delivered).to.deep.equal([]);
    const flowing = engine({ id: 'root', ...FLOW, children: [{ id: 'c1', ...FLOW, children: [{ id: 'x' }, { id: 'y' }] }, { id: 'b' }] });
    expect(flowing.api.processNavigationRequest('choice', 'c1')).to.equal(true);
    expect(flowing.delivered).to.deep.equal(['x']);
  });

  it('after exit="suspend" and adl.nav.request "{target=<itself>}choice", Terminate delivers the activity again', () => {
    const { api, delivered } = engine({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'b' }] });
    api.processNavigationRequest('start');
    expect(api.Initialize('')).to.equal('true');
    api.SetValue('cmi.exit', 'suspend');
    expect(api.SetValue('adl.nav.request', '{target=a}choice')).to.equal('true');
    expect(api.Terminate('')).to.equal('true');
    expect(delivered).to.deep.equal(['a', 'a']);
  });

  it('still delivers once for a repeated start, and moves on for continue', () => {
    const { api, delivered } = engine({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'b' }] });
    api.processNavigationRequest('start');
    api.processNavigationRequest('start');
    expect(delivered).to.deep.equal(['a']);
    api.Initialize('');
    api.SetValue('adl.nav.request', 'continue');
    api.Terminate('');
    expect(delivered).to.deep.equal(['a', 'b']);
  });

  describe('005 completion by measure from a global objective', () => {
    const map = (target: string, flags: Record<string, boolean>) => ({
      targetObjectiveID: target, readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false,
      readCompletionStatus: false, writeCompletionStatus: false, readProgressMeasure: false, writeProgressMeasure: false, readRawScore: false,
      writeRawScore: false, readMinScore: false, writeMinScore: false, readMaxScore: false, writeMaxScore: false, ...flags,
    });
    const objective = (id: string, maps: object[]) => ({ objectiveID: id, isPrimary: true, satisfiedByMeasure: false, minNormalizedMeasure: null, mapInfo: maps });
    const skipIfCompleted = { preConditionRules: [{ action: 'skip', conditionCombination: 'all', conditions: [{ condition: 'completed' }] }], exitConditionRules: [], postConditionRules: [] };

    function afterProgress(progress: string): string[] {
      const { api, delivered } = engine({ id: 'root', ...FLOW, children: [
        { id: 'a', primaryObjective: objective('a_p', [map('shared', { writeProgressMeasure: true })]) },
        { id: 'b', primaryObjective: objective('b_p', [map('shared', { readProgressMeasure: true, readCompletionStatus: true })]),
          completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.5, progressWeight: 1 }, sequencingRules: skipIfCompleted },
        { id: 'c' },
      ] });
      api.processNavigationRequest('start');
      api.Initialize('');
      expect(api.SetValue('cmi.progress_measure', progress)).to.equal('true');
      api.SetValue('adl.nav.request', 'continue');
      api.Terminate('');
      return delivered;
    }

    it('"skip if completed" skips an activity whose read progress measure (0.8) meets its minProgressMeasure (0.5)', () => {
      expect(afterProgress('0.8')).to.deep.equal(['a', 'c']);
    });

    it('below the threshold (0.3) the activity is incomplete and delivered', () => {
      expect(afterProgress('0.3')).to.deep.equal(['a', 'b']);
    });
  });

  describe('006 choice validity (what a table of contents offers) follows the choice the engine makes', () => {
    it('preventActivation: the children of a cluster not yet active are not offered', () => {
      const rows = compare({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'm', sequencingControls: { choice: true, flow: true, preventActivation: true }, children: [{ id: 'm1' }, { id: 'm2' }] }] },
        (api) => { api.processNavigationRequest('start'); });
      expect(rows).to.deep.equal([['a', 'true', true], ['m1', 'false', false], ['m2', 'false', false]]);
    });

    it('an activity whose attempt limit is used up is not offered', () => {
      const rows = compare({ id: 'root', ...FLOW, children: [{ id: 'a', attemptLimit: 1 }, { id: 'b' }] }, (api) => {
        api.processNavigationRequest('start');
        api.Initialize('');
        api.SetValue('adl.nav.request', 'continue');
        api.Terminate('');
      });
      expect(rows).to.deep.equal([['a', 'false', false], ['b', 'true', true]]);
    });
  });

  describe('007 the choice sequencing request follows SB.2.9 (constrainChoice, choiceExit, preventActivation, traversal)', () => {
    const CONSTRAINED = { sequencingControls: { choice: true, flow: true, constrainChoice: true } };
    const rule = (action: string) => ({ preConditionRules: [{ action, conditionCombination: 'all', conditions: [{ condition: 'always' }] }], exitConditionRules: [], postConditionRules: [] });
    const start = (api: Api2004) => { api.processNavigationRequest('start'); };
    /** The leaves a choice reaches (the map says "true" and a real choice delivers), and whether map and engine agree. */
    const offered = (rows: Array<[string, string | undefined, boolean]>) => {
      for (const [id, valid, delivers] of rows) expect(valid === 'true', `map and engine agree on ${id}`).to.equal(delivers);
      return rows.filter((r) => r[2]).map((r) => r[0]);
    };

    it('constrainChoice on the cluster of the current activity leaves its siblings free (SB.2.9 case: siblings)', () => {
      expect(offered(compare({ id: 'root', ...CONSTRAINED, children: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] }, start))).to.deep.equal(['a', 'b', 'c', 'd']);
    });

    it('outside the constrained cluster, only the activity right after it (with its descendants) is offered', () => {
      const tree = { id: 'root', ...FLOW, children: [
        { id: 'm1', ...CONSTRAINED, children: [{ id: 'a' }, { id: 'b' }] },
        { id: 'm2', ...FLOW, children: [{ id: 'c' }, { id: 'd' }] },
        { id: 'm3', ...FLOW, children: [{ id: 'e' }] }] };
      expect(offered(compare(tree, start))).to.deep.equal(['a', 'b', 'c', 'd']);
    });

    it('choiceExit="false" on the current cluster keeps choices inside it', () => {
      const tree = { id: 'root', ...FLOW, children: [
        { id: 'm1', sequencingControls: { choice: true, flow: true, choiceExit: false }, children: [{ id: 'a' }, { id: 'b' }] },
        { id: 'm2', ...FLOW, children: [{ id: 'c' }] }] };
      expect(offered(compare(tree, start))).to.deep.equal(['a', 'b']);
    });

    it('preventActivation: once its cluster is active (entered by flow), its children are free', () => {
      const tree = { id: 'root', ...FLOW, children: [
        { id: 'a' }, { id: 'm', sequencingControls: { choice: true, flow: true, preventActivation: true }, children: [{ id: 'm1' }, { id: 'm2' }] }] };
      expect(offered(compare(tree, start))).to.deep.equal(['a']);
      expect(offered(compare(tree, (api) => {
        start(api);
        api.Initialize('');
        api.SetValue('adl.nav.request', 'continue');
        api.Terminate('');
      }))).to.deep.equal(['a', 'm1', 'm2']);
    });

    it('forwardOnly refuses earlier siblings; a stopForwardTraversal activity can be chosen, the ones after it cannot', () => {
      const afterB = (api: Api2004) => { start(api); api.Initialize(''); api.SetValue('adl.nav.request', 'continue'); api.Terminate(''); };
      expect(offered(compare({ id: 'root', sequencingControls: { choice: true, flow: true, forwardOnly: true }, children: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }, afterB)))
        .to.deep.equal(['b', 'c']);
      expect(offered(compare({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'b', sequencingRules: rule('stopForwardTraversal') }, { id: 'c' }] }, start)))
        .to.deep.equal(['a', 'b']);
      expect(offered(compare({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'b', sequencingRules: rule('hiddenFromChoice') }, { id: 'c' }] }, start)))
        .to.deep.equal(['a', 'c']);
    });
  });

  describe('008 adl.nav.request_valid.choice names any activity identifier', () => {
    it('a target with dots ("lesson.two") gets the engine\'s answer, not a blanket "false"', () => {
      const { api } = engine({ id: 'root', ...FLOW, children: [{ id: 'a' }, { id: 'lesson.two' }, { id: 'hidden.one', sequencingRules: {
        preConditionRules: [{ action: 'hiddenFromChoice', conditionCombination: 'all', conditions: [{ condition: 'always' }] }], exitConditionRules: [], postConditionRules: [] } }] });
      api.processNavigationRequest('start');
      api.Initialize('');
      expect(api.GetValue('adl.nav.request_valid.choice.{target=lesson.two}')).to.equal('true');
      expect(api.GetValue('adl.nav.request_valid.choice.{target=hidden.one}')).to.equal('false');
      expect(api.GetLastError()).to.equal('0');
    });
  });
});

