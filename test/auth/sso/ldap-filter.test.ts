import { expect } from 'chai';
import { buildUserFilter, escapeFilterValue } from '../../../server/auth/ldap/ldap-filter.js';

describe('LDAP filter escaping (RFC 4515)', () => {
  it('escapes the five special characters and nothing else', () => {
    expect(escapeFilterValue('*)(uid=*')).to.equal('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\0c')).to.equal('a\\5cb\\00c');
    expect(escapeFilterValue('李伟.li-wei_01@bank')).to.equal('李伟.li-wei_01@bank');
  });

  it('fills every {username} in the configured filter', () => {
    expect(buildUserFilter('(|(sAMAccountName={username})(userPrincipalName={username}))', 'x*')).to.equal('(|(sAMAccountName=x\\2a)(userPrincipalName=x\\2a))');
  });
});
