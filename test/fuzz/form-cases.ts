// Form bodies for every state-changing route the app has, found by walking its Express router (a
// route added tomorrow is fuzzed tomorrow), plus query strings for its GET routes: urlencoded,
// JSON, well-formed and damaged multipart (with CSV roster files of hostile cells), text, nothing.
import { nastyString, type Random } from './random.js';

export interface RouteInfo { method: string; path: string }
export type Principal = 'boss' | 'learner' | 'anonymous';
export interface FormCase {
  label: string; method: string; url: string; principal: Principal; csrf: 'valid' | 'missing' | 'wrong';
  contentType: string | null; body: string | Buffer | null;
  /** Extra request headers; a Cookie only for signed-out cases (it would replace the session's). */
  headers: Record<string, string>;
}

interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }

/** Every route of the app's router, nested routers included (all are mounted at the root). */
export function listRoutes(app: { router: { stack: Layer[] } }): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
  const seen = new Set<string>();
  return routes.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

/** Field names the views' forms use, and some that no form does. */
const FIELDS = ['_csrf', 'after', 'afterId', 'asOf', 'attemptsLimit', 'branch', 'branchCode', 'code', 'completionRule', 'countedAttempt', 'course',
  'description', 'dueBasis', 'dueDate', 'dueDays', 'effectiveDate', 'email', 'employeeNo', 'file', 'hiredAt', 'includeSubBranches', 'locale', 'name',
  'next', 'package', 'parentCode', 'passMark', 'password', 'position', 'positions', 'q', 'reason', 'role', 'scopeBranchCode', 'status', 'title',
  'uploadId', 'username', 'validOnly', 'validityMonths', 'version', 'format', 'recurring', 'roles', 'currentPassword', 'newPassword',
  'wholeBank', 'confirm', 'person', 'action', 'from', 'to', 'before', 'kind', 'headings',
  '__proto__', 'constructor', 'a[b]', 'x'.repeat(300)];
const ROSTER_COLUMNS = ['employee_no', 'name', 'branch_code', 'hired_at', 'email', 'position', 'status', 'code', 'parent_code', '工号', '姓名'];

/** Percent-encodes; a lone surrogate becomes the invalid UTF-8 bytes of one, which servers must also survive. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

export interface ParamPools { [param: string]: string[] }

function concretePath(random: Random, path: string, pools: ParamPools): string {
  return path.replace(/\*\w+/g, () => enc(nastyString(random, 50)))
    .replace(/:(\w+)/g, (_, name: string) => {
      const pool = pools[name] ?? [];
      return enc(pool.length > 0 && random.chance(0.7) ? random.pick(pool) : nastyString(random, 200));
    });
}

function fieldValue(random: Random): string {
  return random.chance(0.3) ? random.pick(['HO', 'G12', '2026-06-01', '30', 'true', 'on', 'admin', 'hr', 'employee', 'left', 'active', 'en', 'zh-CN']) : nastyString(random, 20_000);
}

function fields(random: Random): Array<[string, string]> {
  return Array.from({ length: random.size(40) }, () => [random.pick(FIELDS), fieldValue(random)] as [string, string]);
}

function rosterCsv(random: Random): string {
  const header = Array.from({ length: random.int(1, 8) }, () => random.pick(ROSTER_COLUMNS));
  const rows = Array.from({ length: random.size(3000) }, () => header.map(() => {
    const cell = fieldValue(random).replace(/"/g, '""');
    return random.chance(0.3) ? `"${cell}"` : cell.replace(/[,\n]/g, ' ');
  }).join(','));
  return [header.join(','), ...rows].join(random.pick(['\n', '\r\n']));
}

function multipart(random: Random, parts: Array<[string, string]>): { contentType: string; body: Buffer } {
  const boundary = `fz${random.int(0, 1e9)}`;
  const chunks: string[] = parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '')}"\r\n\r\n${value}\r\n`);
  if (random.chance(0.7)) {
    const field = random.pick(['file', 'package', 'x']);
    const content = random.chance(0.6) ? rosterCsv(random) : nastyString(random, 50_000);
    chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${random.pick(['r.csv', 'r.xlsx', 'p.zip', '花名册.csv', '../../x.csv'])}"\r\nContent-Type: ${random.pick(['text/csv', 'application/zip', 'application/octet-stream'])}\r\n\r\n${content}\r\n`);
  }
  let text = `${chunks.join('')}--${boundary}--\r\n`;
  let contentType = `multipart/form-data; boundary=${boundary}`;
  const damage = random.int(0, 5);
  if (damage === 0) text = text.slice(0, random.int(0, text.length));
  else if (damage === 1) contentType = random.pick(['multipart/form-data', 'multipart/form-data; boundary=zz', `multipart/form-data; boundary="${'b'.repeat(100)}"`]);
  else if (damage === 2) text = text.replace(/\r\n\r\n/, '\r\n');
  return { contentType, body: Buffer.from(text) };
}

/** Header values with raw bytes a browser would not send: broken %-escapes, long lists, odd tokens. */
function hostileHeaders(random: Random, principal: Principal): Record<string, string> {
  if (!random.chance(0.15)) return {};
  const raw = () => nastyString(random, 4000).replace(/[^\x20-\x7e]/g, '%').slice(0, 4000);
  const headers: Record<string, string> = {};
  const pick = random.int(0, 3);
  if (pick === 0) headers.Accept = random.pick([raw(), 'application/json;q=x', '*/*;'.repeat(500)]);
  if (pick === 1) headers['Accept-Language'] = random.pick([raw(), 'zh-CN,'.repeat(500), 'x;q=NaN']);
  if (pick === 2) headers['X-Request-Id'] = raw();
  if (pick === 3 && principal === 'anonymous') headers.Cookie = `lms.lang=${random.pick(['%E0%A4%A', '%', raw()])}; connect.sid=${raw()}`;
  return headers;
}

export function formCase(random: Random, routes: RouteInfo[], pools: ParamPools): FormCase {
  const isQuery = random.chance(0.2);
  const candidates = routes.filter((r) => (isQuery ? r.method === 'GET' : r.method !== 'GET'));
  const route = random.pick(candidates);
  let url = concretePath(random, route.path, pools).slice(0, 5000).replace(/%[0-9A-F]?$/i, '');
  // Signing in and out are fuzzed without a session, so the run keeps its own.
  const principal: Principal = route.path === '/logout' || route.path === '/login' ? 'anonymous' : random.pick(['boss', 'boss', 'boss', 'learner', 'anonymous'] as const);
  const csrf = random.pick(['valid', 'valid', 'valid', 'valid', 'missing', 'wrong'] as const);
  if (isQuery) {
    url += `?${fields(random).map(([k, v]) => `${enc(k)}=${enc(v.slice(0, 3000))}`).join('&')}`;
    // Redirects to the sign-in page echo the URL (encoded) in Location: past ~5,000 characters that
    // header outgrows what Node's HTTP client reads (16 kB), though browsers take it.
    url = url.slice(0, 5000).replace(/%[0-9A-F]?$/i, '');
    return { label: `GET ${route.path} query`, method: 'GET', url, principal, csrf, contentType: null, body: null, headers: hostileHeaders(random, principal) };
  }
  const encoding = random.int(0, 9);
  let contentType: string | null;
  let body: string | Buffer | null;
  if (encoding <= 3) {
    contentType = 'application/x-www-form-urlencoded';
    body = fields(random).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
    if (random.chance(0.05)) body += '&x='.repeat(random.size(5000)) + '%'.repeat(random.int(0, 3)) + 'a'.repeat(random.size(200_000));
  } else if (encoding <= 5) {
    contentType = 'application/json';
    const object = Object.fromEntries(fields(random).map(([k, v]) => [k, random.chance(0.2) ? [v, { v }] : v]));
    body = random.chance(0.1) ? `${'['.repeat(random.size(50_000))}1${']'.repeat(random.int(0, 3))}` : JSON.stringify(random.chance(0.1) ? [object] : object);
  } else if (encoding <= 8) {
    ({ contentType, body } = multipart(random, fields(random)));
  } else {
    contentType = random.pick([null, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded; charset=gbk']);
    body = random.chance(0.5) ? null : nastyString(random, 10_000);
  }
  const headers = hostileHeaders(random, principal);
  return { label: `${route.method} ${route.path} ${contentType ?? 'no type'} as ${principal}, csrf ${csrf}${Object.keys(headers).length ? `, headers ${Object.keys(headers).join('+')}` : ''}`, method: route.method, url, principal, csrf, contentType, body, headers };
}
