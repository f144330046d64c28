/**
 * LDAP / Active Directory check of a name and password (ldapts): search the person with the
 * service account (or anonymously), then bind as the entry found with the typed password, and
 * read the attribute that names the employee. Each attempt uses its own connection, closed after.
 */
import { Client, InvalidCredentialsError } from 'ldapts';
import type { LdapConfig } from '../sign-in-config.js';
import { buildUserFilter } from './ldap-filter.js';

export type DirectoryAnswer =
  | { outcome: 'ok'; value: string; dn: string }
  | { outcome: 'wrong-credentials' }
  /** The person authenticated but the entry lacks the naming attribute. */
  | { outcome: 'no-attribute' };

/** The directory could not be reached or answered with an error (not a wrong password). */
export class DirectoryUnavailableError extends Error {
  override name = 'DirectoryUnavailableError';
}

export class LdapDirectory {
  constructor(private readonly config: LdapConfig) {}

  async verify(username: string, password: string): Promise<DirectoryAnswer> {
    // An empty password would be an "unauthenticated bind", which many servers accept.
    if (!password) return { outcome: 'wrong-credentials' };
    const { config } = this;
    const tlsOptions = { ...(config.ca ? { ca: config.ca } : {}), rejectUnauthorized: config.rejectUnauthorized };
    // ldapts speaks TLS from the start whenever tlsOptions are given: only for ldaps:// (StartTLS takes them later).
    const isLdaps = config.url.startsWith('ldaps:');
    const client = new Client({ url: config.url, timeout: config.timeoutMs, connectTimeout: config.timeoutMs, ...(isLdaps ? { tlsOptions } : {}), strictDN: true });
    try {
      if (config.startTls) await client.startTLS(tlsOptions);
      if (config.bindDn) await client.bind(config.bindDn, config.bindPassword ?? '');
      const { searchEntries } = await client.search(config.baseDn, {
        scope: 'sub', filter: buildUserFilter(config.filter, username), attributes: [config.attribute], sizeLimit: 2,
      });
      // Nobody, or an ambiguous filter: treated as a wrong name, never as the first of many.
      if (searchEntries.length !== 1) return { outcome: 'wrong-credentials' };
      const entry = searchEntries[0];
      try {
        await client.bind(entry.dn, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return { outcome: 'wrong-credentials' };
        throw error;
      }
      const raw = entry[config.attribute];
      const value = Array.isArray(raw) ? raw[0] : raw;
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '';
      return text ? { outcome: 'ok', value: text, dn: entry.dn } : { outcome: 'no-attribute' };
    } catch (error) {
      throw new DirectoryUnavailableError(error instanceof Error ? `${error.name}: ${error.message}` : 'LDAP error', { cause: error });
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
