// Patch 003: an adlcp:map without writeSharedData is writable (README, "SCORM conformance").
import { expect } from 'chai';
import * as scorm2004 from 'scorm-again/scorm2004';

interface Api2004 {
  Initialize(p: string): string; GetValue(e: string): string; SetValue(e: string, v: string): string; GetLastError(): string;
  processNavigationRequest(request: string, target?: string): boolean;
}
const { Scorm2004API } = scorm2004 as unknown as { Scorm2004API: new (settings: object) => Api2004 };

function deliveredWith(map: object): Api2004 {
  const api = new Scorm2004API({
    logLevel: 5, lmsCommitUrl: false, autocommit: false,
    sequencing: { activityTree: { id: 'root', title: 'Course', children: [{ id: 'sco1', title: 'One', sharedDataMaps: [map] }, { id: 'sco2', title: 'Two' }] } },
  });
  api.processNavigationRequest('start');
  expect(api.Initialize('')).to.equal('true');
  return api;
}

describe('scorm-again patches: 003 shared data (adl.data)', () => {
  it('a map that omits writeSharedData can be written', () => {
    const api = deliveredWith({ targetID: 'notes' });
    expect(api.GetValue('adl.data._count')).to.equal('1');
    expect(api.GetValue('adl.data.0.id')).to.equal('notes');
    expect(api.SetValue('adl.data.0.store', 'hello')).to.equal('true');
    expect(api.GetValue('adl.data.0.store')).to.equal('hello');
  });

  it('writeSharedData="false" still makes the store read-only (404)', () => {
    const api = deliveredWith({ targetID: 'notes', writeSharedData: false });
    expect(api.SetValue('adl.data.0.store', 'hello')).to.equal('false');
    expect(api.GetLastError()).to.equal('404');
  });
});
