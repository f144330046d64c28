// The learner's LMS language reaches the SCO as cmi.learner_preference.language (2004) /
// cmi.student_preference.language (1.2), read back through the real scorm-again runtime.
import { expect } from 'chai';
import { buildLaunchState, type LaunchInput } from '../../../server/scorm/cmi/launch-values.js';
import { runScorm12, runScorm2004, type Scorm12Api, type Scorm2004Api } from './scorm-again-harness.js';

const sco: LaunchInput['sco'] = {
  masteryScore: null, scaledPassingScore: null, launchData: null, maxTimeAllowed: null, timeLimitAction: null,
  completionThreshold: null, objectiveIds: [], dataIds: [],
};

function launch(version: LaunchInput['version'], language: string | null, stored: Record<string, string> | null = null): LaunchInput {
  return { version, learner: { id: 'e1001', name: '李雷', language }, sco, stored, storedTotalSeconds: 0, mode: 'normal' };
}

async function language2004(input: LaunchInput): Promise<string> {
  let value = '';
  await runScorm2004(buildLaunchState(input), (api: Scorm2004Api) => {
    api.Initialize('');
    value = api.GetValue('cmi.learner_preference.language');
  });
  return value;
}

async function language12(input: LaunchInput): Promise<string> {
  let value = '';
  await runScorm12(buildLaunchState(input), (api: Scorm12Api) => {
    api.LMSInitialize('');
    value = api.LMSGetValue('cmi.student_preference.language');
  });
  return value;
}

describe('scorm/cmi/launch-values: language preference', () => {
  for (const language of ['en', 'zh-CN']) {
    it(`hands a learner whose language is ${language} that language in both versions`, async () => {
      expect(await language2004(launch('2004', language))).to.equal(language);
      expect(await language12(launch('1.2', language))).to.equal(language);
    });
  }

  it('leaves the preference empty when the learner never chose a language', async () => {
    expect(await language2004(launch('2004', null))).to.equal('');
    expect(await language12(launch('1.2', null))).to.equal('');
  });

  it('prefers the learner\'s LMS language over a stored one, and keeps the stored one otherwise', async () => {
    const stored = { 'cmi.learner_preference.language': 'fr' };
    expect(await language2004(launch('2004', 'en', stored))).to.equal('en');
    expect(await language2004(launch('2004', null, stored))).to.equal('fr');
  });

  it('leaves out a language the data model refuses instead of breaking the launch', () => {
    const state = buildLaunchState(launch('2004', 'not a language!'));
    expect(state.cmi).to.not.have.property('learner_preference');
  });
});
