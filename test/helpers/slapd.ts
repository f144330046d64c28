/**
 * A real OpenLDAP server for sign-in tests: Debian's /usr/sbin/slapd in a temp folder on a free
 * port of 127.0.0.1, with the standard schemas, an mdb database seeded by slapadd from LDIF, and
 * a read-only service account. Stopped (and its folder removed) by close().
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SLAPD = '/usr/sbin/slapd';
export const BASE_DN = 'dc=bank,dc=test';
export const READER_DN = `cn=reader,${BASE_DN}`;
export const READER_PASSWORD = 'reader-secret-42';

export interface DirectoryPerson { uid: string; password: string; cn: string; employeeNumber?: string; mail?: string }

export interface Slapd { url: string; port: number; stop(): Promise<void>; close(): Promise<void> }

export async function startSlapd(people: DirectoryPerson[]): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(conf, [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${dir}/slapd.pid`,
    `argsfile ${dir}/slapd.args`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    `suffix "${BASE_DN}"`,
    `rootdn "cn=admin,${BASE_DN}"`,
    `directory ${dir}/db`,
    'maxsize 16777216',
    // Passwords: only for binding. Everything else readable (anonymous search is a common directory setup).
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by * read',
    '',
  ].join('\n'));
  const ldif = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: bank\no: Test Bank\n`,
    `dn: ${READER_DN}\nobjectClass: person\ncn: reader\nsn: reader\nuserPassword: ${READER_PASSWORD}\n`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people\n`,
    ...people.map((p) => [
      `dn: uid=${p.uid},ou=people,${BASE_DN}`, 'objectClass: inetOrgPerson', `uid: ${p.uid}`, `cn: ${p.cn}`, `sn: ${p.cn}`,
      `userPassword: ${p.password}`, ...(p.employeeNumber ? [`employeeNumber: ${p.employeeNumber}`] : []), ...(p.mail ? [`mail: ${p.mail}`] : []), '',
    ].join('\n')),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'seed.ldif'), ldif);
  execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', path.join(dir, 'seed.ldif')], { stdio: 'pipe' });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d 0: stay in the foreground (a child we can stop) without debug output. As root it keeps running as root.
  const child: ChildProcess = spawn(SLAPD, ['-h', `${url}/`, '-f', conf, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  try {
    await waitForPort(port, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, port, stop, close: async () => { await stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on ${port} within 10 s: ${output()}`);
}
