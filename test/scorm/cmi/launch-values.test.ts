import { expect } from 'chai';
import { buildLaunchState, type LaunchInput } from '../../../server/scorm/cmi/launch-values.js';
import { runScorm12, runScorm2004, type Scorm12Api, type Scorm2004Api } from './scorm-again-harness.js';
import { objectiveIdsOf, readSampleManifest } from './sample-manifest.js';

const baseSco: LaunchInput['sco'] = {
  masteryScore: null,
  scaledPassingScore: null,
  launchData: null,
  maxTimeAllowed: null,
  timeLimitAction: null,
  completionThreshold: null,
  objectiveIds: [],
  dataIds: [],
};

function launch(overrides: Partial<LaunchInput> & Pick<LaunchInput, 'version'>): LaunchInput {
  return { learner: { id: 'e1001', name: 'Li, Lei' }, sco: baseSco, stored: null, storedTotalSeconds: 0, mode: 'normal', ...overrides };
}

/** Loads the launch state into the real runtime and reads elements back after Initialize. */
async function read12(input: LaunchInput, elements: string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  await runScorm12(buildLaunchState(input), (api: Scorm12Api) => {
    api.LMSInitialize('');
    for (const element of elements) values[element] = api.LMSGetValue(element);
  });
  return values;
}

async function read2004(input: LaunchInput, elements: string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  await runScorm2004(buildLaunchState(input), (api: Scorm2004Api) => {
    api.Initialize('');
    for (const element of elements) values[element] = api.GetValue(element);
  });
  return values;
}

describe('scorm/cmi/launch-values', () => {
  it('sets learner, credit, mode and ab-initio entry for a first SCORM 1.2 launch', async () => {
    const values = await read12(launch({ version: '1.2' }), ['cmi.core.student_id', 'cmi.core.student_name', 'cmi.core.credit', 'cmi.core.lesson_mode', 'cmi.core.entry', 'cmi.core.total_time']);
    expect(values).to.deep.equal({
      'cmi.core.student_id': 'e1001',
      'cmi.core.student_name': 'Li, Lei',
      'cmi.core.credit': 'credit',
      'cmi.core.lesson_mode': 'normal',
      'cmi.core.entry': 'ab-initio',
      'cmi.core.total_time': '00:00:00', // scorm-again re-formats 0000:00:00.00
    });
  });

  it('previews in browse mode without credit', () => {
    const { cmi } = buildLaunchState(launch({ version: '2004', mode: 'browse' }));
    expect(cmi).to.include({ mode: 'browse', credit: 'no-credit' });
  });

  describe('entry', () => {
    for (const [exit, entry] of [['suspend', 'resume'], ['', 'ab-initio'], ['logout', 'ab-initio'], ['time-out', 'ab-initio']] as const) {
      it(`1.2: stored exit "${exit}" gives entry ${entry}`, async () => {
        const values = await read12(launch({ version: '1.2', stored: { 'cmi.core.exit': exit } }), ['cmi.core.entry']);
        expect(values['cmi.core.entry']).to.equal(entry);
      });
    }

    it('2004: resume only after a suspend exit', async () => {
      const suspended = await read2004(launch({ version: '2004', stored: { 'cmi.exit': 'suspend' } }), ['cmi.entry']);
      const normal = await read2004(launch({ version: '2004', stored: { 'cmi.exit': 'normal' } }), ['cmi.entry']);
      const fresh = await read2004(launch({ version: '2004', stored: null }), ['cmi.entry']);
      expect([suspended['cmi.entry'], normal['cmi.entry'], fresh['cmi.entry']]).to.deep.equal(['resume', 'ab-initio', 'ab-initio']);
    });

    it('looks at the exit of its own version only', () => {
      const { cmi } = buildLaunchState(launch({ version: '2004', stored: { 'cmi.core.exit': 'suspend' } }));
      expect(cmi.entry).to.equal('ab-initio');
    });
  });

  it('preserves a stored score of 0 through loadFromJSON, which skips falsy values', async () => {
    const stored = { 'cmi.core.score.raw': '0', 'cmi.core.lesson_status': 'failed' };
    const values = await read12(launch({ version: '1.2', stored, sco: { ...baseSco, masteryScore: 0 } }), ['cmi.core.score.raw', 'cmi.core.lesson_status', 'cmi.student_data.mastery_score']);
    expect(values).to.deep.equal({ 'cmi.core.score.raw': '0', 'cmi.core.lesson_status': 'failed', 'cmi.student_data.mastery_score': '0' });
    const values2004 = await read2004(
      launch({ version: '2004', stored: { 'cmi.score.scaled': '0', 'cmi.score.raw': '0', 'cmi.progress_measure': '0' }, sco: { ...baseSco, completionThreshold: 0 } }),
      ['cmi.score.scaled', 'cmi.score.raw', 'cmi.progress_measure', 'cmi.completion_threshold'],
    );
    expect(values2004).to.deep.equal({ 'cmi.score.scaled': '0', 'cmi.score.raw': '0', 'cmi.progress_measure': '0', 'cmi.completion_threshold': '0' });
  });

  it('passes the SCO settings from the manifest, converting time limits to the version\'s format', async () => {
    const sco = { ...baseSco, scaledPassingScore: 0.8, launchData: 'level=2', maxTimeAllowed: '0000:30:00', timeLimitAction: 'exit,message', completionThreshold: 0.75 };
    const values = await read2004(launch({ version: '2004', sco }), ['cmi.scaled_passing_score', 'cmi.launch_data', 'cmi.max_time_allowed', 'cmi.time_limit_action', 'cmi.completion_threshold']);
    expect(values).to.deep.equal({
      'cmi.scaled_passing_score': '0.8',
      'cmi.launch_data': 'level=2',
      'cmi.max_time_allowed': 'PT0H30M0S',
      'cmi.time_limit_action': 'exit,message',
      'cmi.completion_threshold': '0.75',
    });
    const values12 = await read12(launch({ version: '1.2', sco: { ...sco, masteryScore: 80, maxTimeAllowed: 'PT1H' } }), ['cmi.student_data.mastery_score', 'cmi.student_data.max_time_allowed']);
    expect(values12).to.deep.equal({ 'cmi.student_data.mastery_score': '80', 'cmi.student_data.max_time_allowed': '01:00:00' });
  });

  it('leaves out settings that scorm-again would refuse instead of breaking the launch', () => {
    const sco = { ...baseSco, scaledPassingScore: 1.5, completionThreshold: -0.1, maxTimeAllowed: 'half an hour', timeLimitAction: 'stop' };
    const { cmi } = buildLaunchState(launch({ version: '2004', sco }));
    expect(cmi).not.to.have.any.keys('scaled_passing_score', 'completion_threshold', 'max_time_allowed', 'time_limit_action');
  });

  it('preloads the objective ids of the ADL advanced-calls sample so the SCO finds them by id', async () => {
    const objectiveIds = objectiveIdsOf(await readSampleManifest('golf-RunTimeAdvancedCalls-SCORM2004-3rd.zip'));
    expect(objectiveIds).to.include.members(['PRIMARYOBJ', 'obj_etiquette', 'obj_handicapping', 'obj_havingfun', 'obj_playing']);
    const found: Record<string, number> = {};
    await runScorm2004(buildLaunchState(launch({ version: '2004', sco: { ...baseSco, objectiveIds } })), (api) => {
      api.Initialize('');
      // The sample's FindObjectiveIndex(): walk _count and compare ids.
      const count = Number(api.GetValue('cmi.objectives._count'));
      for (let index = 0; index < count; index += 1) found[api.GetValue(`cmi.objectives.${index}.id`)] = index;
    });
    expect(Object.keys(found)).to.have.members(objectiveIds);
  });

  it('keeps stored objectives at their indexes and appends manifest ids not yet present', () => {
    const stored = { 'cmi.objectives.0.id': 'obj_b', 'cmi.objectives.0.success_status': 'passed', 'cmi.objectives.0.score.scaled': '0' };
    const { cmi } = buildLaunchState(launch({ version: '2004', stored, sco: { ...baseSco, objectiveIds: ['obj_a', 'obj_b'] } }));
    expect(cmi.objectives).to.deep.equal([{ id: 'obj_b', success_status: 'passed', score: { scaled: '0' } }, { id: 'obj_a' }]);
  });

  it('preloads adl.data ids from the manifest data maps with this SCO\'s last store', async () => {
    const stored = { 'adl.data.1.store': 'saved' };
    const values = await read2004(launch({ version: '2004', stored, sco: { ...baseSco, dataIds: ['com.example.a', 'com.example.b'] } }), ['adl.data._count', 'adl.data.0.id', 'adl.data.1.id', 'adl.data.1.store']);
    expect(values).to.deep.equal({ 'adl.data._count': '2', 'adl.data.0.id': 'com.example.a', 'adl.data.1.id': 'com.example.b', 'adl.data.1.store': 'saved' });
  });

  it('continues the interaction count so new answers are appended', async () => {
    const stored = {
      'cmi.interactions.0.id': 'q1', 'cmi.interactions.0.type': 'choice', 'cmi.interactions.0.learner_response': 'a',
      'cmi.interactions.1.id': 'q2', 'cmi.interactions.1.type': 'true-false',
    };
    const values = await read2004(launch({ version: '2004', stored }), ['cmi.interactions._count', 'cmi.interactions.1.id', 'cmi.interactions.1.type']);
    expect(values).to.deep.equal({ 'cmi.interactions._count': '2', 'cmi.interactions.1.id': 'q2', 'cmi.interactions.1.type': 'true-false' });
  });

  it('formats the server-accumulated total time for each version', async () => {
    const seconds = 2 * 3600 + 5 * 60 + 7.5;
    const values12 = await read12(launch({ version: '1.2', storedTotalSeconds: seconds }), ['cmi.core.total_time']);
    const values2004 = await read2004(launch({ version: '2004', storedTotalSeconds: seconds }), ['cmi.total_time']);
    expect(values12['cmi.core.total_time']).to.equal('02:05:07.5');
    expect(values2004['cmi.total_time']).to.equal('PT2H5M7.5S');
  });

  it('never preloads a stored value the runtime would refuse (loadFromJSON throws on those)', async () => {
    const stored = {
      'cmi.core.lesson_location': 'x'.repeat(300),
      'cmi.core.score.raw': '150',
      'cmi.core.lesson_status': 'Passed',
      'cmi.suspend_data': 'kept',
    };
    const values = await read12(launch({ version: '1.2', stored }), ['cmi.core.lesson_location', 'cmi.core.score.raw', 'cmi.core.lesson_status', 'cmi.suspend_data']);
    expect(values).to.deep.equal({ 'cmi.core.lesson_location': '', 'cmi.core.score.raw': '', 'cmi.core.lesson_status': 'not attempted', 'cmi.suspend_data': 'kept' });
  });
});
