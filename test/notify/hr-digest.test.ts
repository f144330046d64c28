import { expect } from 'chai';
import { addToDigest, ancestorPaths, emptyScopeDigest, ScopeDigests, type DigestEntry } from '../../server/notify/hr-digest.js';

const entry = (employeeNo: string, deadline: string): DigestEntry => ({ employeeNo, name: `n${employeeNo}`, branchName: 'b', courseTitle: 'c', deadline });

describe('hr digest', () => {
  it('lists the most urgent entries up to the cap and counts them all', () => {
    const digest = emptyScopeDigest();
    const deadlines = ['2026-05-20', '2026-05-03', '2026-05-30', '2026-05-01', '2026-05-10'];
    deadlines.forEach((d, i) => addToDigest(digest, 'overdue', entry(`E${i}`, d), 3));
    addToDigest(digest, 'certified', null, 3);
    expect(digest.overdue.total).to.equal(5);
    expect(digest.overdue.shown.map((e) => e.deadline)).to.deep.equal(['2026-05-01', '2026-05-03', '2026-05-10']);
    expect(digest.counts.overdue).to.equal(5);
    expect(digest.counts.certified).to.equal(1);
    expect(digest.expiring.total).to.equal(0);
  });

  it('finds the scopes containing a branch by its ancestor paths', () => {
    expect(ancestorPaths('/1/7/42/')).to.deep.equal(['/1/', '/1/7/', '/1/7/42/']);
    const digests = new ScopeDigests();
    digests.register('/1/7/');
    digests.register('/1/2/');
    digests.register(null);
    digests.add('/1/7/42/', 'overdue', entry('A', '2026-05-01'));
    digests.add('/1/70/', 'expiring', entry('B', '2026-06-10')); // '/1/70/' is not under '/1/7/'
    digests.add(null, 'not_started', null); // no branch: the whole bank only
    expect(digests.get('/1/7/').counts.overdue).to.equal(1);
    expect(digests.get('/1/7/').expiring.total).to.equal(0);
    expect(digests.get('/1/2/').counts.overdue + digests.get('/1/2/').counts.expiring).to.equal(0);
    const bank = digests.get(null);
    expect([bank.counts.overdue, bank.counts.expiring, bank.counts.not_started]).to.deep.equal([1, 1, 1]);
  });
});
