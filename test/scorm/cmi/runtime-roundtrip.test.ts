// End to end through the real runtime: launch state → scorm-again session → commit body →
// validateCommit → mergeScoState → next launch.

import { expect } from 'chai';
import { extractInteractions } from '../../../server/scorm/cmi/interactions.js';
import { buildLaunchState, type LaunchInput } from '../../../server/scorm/cmi/launch-values.js';
import { mergeScoState } from '../../../server/scorm/cmi/sco-state.js';
import { validateCommit } from '../../../server/scorm/cmi/validate-commit.js';
import { lastCommitBody, runScorm12, runScorm2004 } from './scorm-again-harness.js';
import { objectiveIdsOf, readSampleManifest } from './sample-manifest.js';

const sco12: LaunchInput['sco'] = {
  masteryScore: 80, scaledPassingScore: null, launchData: null, maxTimeAllowed: null, timeLimitAction: null,
  completionThreshold: null, objectiveIds: [], dataIds: [],
};

describe('scorm/cmi runtime round trip with scorm-again', () => {
  it('SCORM 1.2: a suspended failing session resumes with location, suspend data, score 0 and its answers', async () => {
    const first: LaunchInput = { version: '1.2', learner: { id: 'e1001', name: 'Li, Lei' }, sco: sco12, stored: null, storedTotalSeconds: 0, mode: 'normal' };
    const commits = await runScorm12(buildLaunchState(first), (api) => {
      api.LMSInitialize('');
      api.LMSSetValue('cmi.core.lesson_location', 'slide-9');
      api.LMSSetValue('cmi.suspend_data', '{"进度":"第三章"}');
      api.LMSSetValue('cmi.interactions.0.id', 'Scene1_Slide3_MultiChoice_0_0');
      api.LMSSetValue('cmi.interactions.0.type', 'choice');
      api.LMSSetValue('cmi.interactions.0.student_response', 'b');
      api.LMSSetValue('cmi.interactions.0.correct_responses.0.pattern', ' a , c '); // padded, as authoring tools do
      api.LMSSetValue('cmi.interactions.0.result', 'wrong');
      api.LMSSetValue('cmi.core.score.raw', '0');
      api.LMSSetValue('cmi.core.session_time', '00:04:30');
      api.LMSSetValue('cmi.core.exit', 'suspend');
      api.LMSFinish('');
    });
    expect(commits.map((commit) => commit.transport)).to.deep.equal(['beacon']); // this SCO never commits before LMSFinish

    const { accepted, refused } = validateCommit('1.2', lastCommitBody(commits));
    expect(refused).to.deep.equal([]);
    const { state, summary } = mergeScoState({ version: '1.2', previous: null, accepted, isTerminating: true, rules: { masteryScore: 80, scaledPassingScore: null, completionThreshold: null, credit: 'credit' } });
    expect(summary).to.deep.include({ successStatus: 'failed', completionStatus: 'completed', scoreRaw: 0, exit: 'suspend', location: 'slide-9', sessionSeconds: 270 });
    expect(extractInteractions('1.2', state)).to.deep.equal([
      { idx: 0, interactionId: 'Scene1_Slide3_MultiChoice_0_0', type: 'choice', learnerResponse: 'b', correctResponse: 'a,c', result: 'wrong', latency: null, recordedAt: null },
    ]);

    const resumed: Record<string, string> = {};
    await runScorm12(buildLaunchState({ ...first, stored: state, storedTotalSeconds: summary.sessionSeconds }), (api) => {
      api.LMSInitialize('');
      for (const element of ['cmi.core.entry', 'cmi.core.lesson_location', 'cmi.suspend_data', 'cmi.core.score.raw', 'cmi.core.lesson_status', 'cmi.interactions._count', 'cmi.core.total_time']) {
        resumed[element] = api.LMSGetValue(element);
      }
    });
    expect(resumed).to.deep.equal({
      'cmi.core.entry': 'resume',
      'cmi.core.lesson_location': 'slide-9',
      'cmi.suspend_data': '{"进度":"第三章"}',
      'cmi.core.score.raw': '0',
      'cmi.core.lesson_status': 'failed',
      'cmi.interactions._count': '1',
      'cmi.core.total_time': '00:04:30',
    });
  });

  it('SCORM 2004: the advanced-calls sample\'s calls pass, success is derived, and the next session appends', async () => {
    const manifest = await readSampleManifest('golf-RunTimeAdvancedCalls-SCORM2004-3rd.zip');
    const launch: LaunchInput = {
      version: '2004',
      learner: { id: 'e1001', name: '李雷' },
      sco: { ...sco12, masteryScore: null, scaledPassingScore: 0.8, objectiveIds: objectiveIdsOf(manifest) },
      stored: null,
      storedTotalSeconds: 0,
      mode: 'normal',
    };
    const rules = { masteryScore: null, scaledPassingScore: 0.8, completionThreshold: null, credit: 'credit' as const };
    const commits = await runScorm2004(buildLaunchState(launch), (api) => {
      api.Initialize('');
      const findObjective = (id: string): number => {
        const count = Number(api.GetValue('cmi.objectives._count'));
        for (let index = 0; index < count; index += 1) if (api.GetValue(`cmi.objectives.${index}.id`) === id) return index;
        throw new Error(`objective ${id} not preloaded`);
      };
      // RecordQuestion() of the sample
      const next = api.GetValue('cmi.interactions._count');
      api.SetValue(`cmi.interactions.${next}.id`, 'com.scorm.golfsamples.interactions.etiquette_1');
      api.SetValue(`cmi.interactions.${next}.description`, 'When another player is attempting a shot, it is best to stand:');
      api.SetValue(`cmi.interactions.${next}.objectives.0.id`, 'obj_etiquette');
      api.SetValue(`cmi.interactions.${next}.type`, 'choice');
      api.SetValue(`cmi.interactions.${next}.learner_response`, 'out_of_the_player_s_line_of_sight');
      api.SetValue(`cmi.interactions.${next}.correct_responses.0.pattern`, 'out_of_the_player_s_line_of_sight');
      api.SetValue(`cmi.interactions.${next}.result`, 'correct');
      const objective = findObjective('obj_etiquette');
      api.SetValue(`cmi.objectives.${objective}.score.scaled`, '1');
      api.SetValue(`cmi.objectives.${objective}.score.raw`, '1');
      api.SetValue(`cmi.objectives.${objective}.score.min`, '0');
      api.SetValue(`cmi.objectives.${objective}.score.max`, '1');
      api.SetValue(`cmi.objectives.${objective}.progress_measure`, '1');
      api.SetValue(`cmi.objectives.${objective}.completion_status`, 'completed');
      api.SetValue('cmi.score.scaled', '0.85');
      api.SetValue('cmi.completion_status', 'completed');
      api.SetValue('cmi.session_time', 'PT3M20S');
      api.SetValue('cmi.exit', 'normal');
      api.Commit('');
      api.Terminate('');
    });
    expect(commits.map((commit) => commit.transport)).to.deep.equal(['xhr', 'beacon']);

    let state: Record<string, string> | null = null;
    for (const [index, commit] of commits.entries()) {
      const { accepted, refused } = validateCommit('2004', JSON.parse(commit.body), state);
      expect(refused, commit.transport).to.deep.equal([]);
      state = mergeScoState({ version: '2004', previous: state, accepted, isTerminating: index === commits.length - 1, rules }).state;
    }
    const stored = state ?? {};
    const summary = mergeScoState({ version: '2004', previous: stored, accepted: new Map(), isTerminating: false, rules }).summary;
    expect(summary).to.deep.include({ successStatus: 'passed', completionStatus: 'completed', scoreScaled: 0.85, exit: 'normal' });
    expect(extractInteractions('2004', stored)[0]).to.include({ interactionId: 'com.scorm.golfsamples.interactions.etiquette_1', result: 'correct' });

    const second: Record<string, string> = {};
    const secondCommits = await runScorm2004(buildLaunchState({ ...launch, stored }), (api) => {
      api.Initialize('');
      second.entry = api.GetValue('cmi.entry');
      second.success = api.GetValue('cmi.success_status');
      const next = api.GetValue('cmi.interactions._count');
      second.next = next;
      api.SetValue(`cmi.interactions.${next}.id`, 'com.scorm.golfsamples.interactions.handicap_1');
      api.SetValue(`cmi.interactions.${next}.type`, 'true-false');
      api.SetValue(`cmi.interactions.${next}.learner_response`, 'true');
      api.Terminate('');
    });
    expect(second).to.deep.equal({ entry: 'ab-initio', success: 'passed', next: '1' });
    const { accepted, refused } = validateCommit('2004', lastCommitBody(secondCommits), stored);
    expect(refused).to.deep.equal([]);
    const after = mergeScoState({ version: '2004', previous: stored, accepted, isTerminating: true, rules });
    expect(extractInteractions('2004', after.state).map((interaction) => [interaction.interactionId, interaction.learnerResponse])).to.deep.equal([
      ['com.scorm.golfsamples.interactions.etiquette_1', 'out_of_the_player_s_line_of_sight'],
      ['com.scorm.golfsamples.interactions.handicap_1', 'true'],
    ]);
  });
});
