// The small page that stands between the player (LMS origin) and a SCO (content origin). It runs
// the complete scorm-again API (window.API / window.API_1484_11, preloaded by the player), so the
// SCO finds the API in its parent as SCORM requires and gets real answers, and loads the SCO in a
// nested frame. State-changing calls are replayed on the player's API by message.
import { PACKAGE_FRAME_SANDBOX } from './content-sandbox.js';

export interface LauncherPage {
  lmsOrigin: string;
  apiVersion: '1.2' | '2004';
  /** Where the SCO is, on the content origin: /c/<capability>/<href>. */
  scoUrl: string;
  title: string;
}

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderLauncherPage(page: LauncherPage): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}</style>
</head><body>
<script type="application/json" id="launcher-config">${scriptJson({ lmsOrigin: page.lmsOrigin, apiVersion: page.apiVersion, scoUrl: page.scoUrl })}</script>
<iframe id="sco" title="${escapeHtml(page.title)}" sandbox="${PACKAGE_FRAME_SANDBOX}" allow="fullscreen; autoplay"></iframe>
<script src="/launcher/${page.apiVersion === '1.2' ? 'scorm12.js' : 'scorm2004.js'}"></script>
<script src="/launcher/content-launcher.js"></script>
</body></html>`;
}

/** The launcher's own policy: its two scripts, the SCO frame, framed by the LMS only. */
export function launcherSecurityPolicy(lmsOrigin: string): string {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'unsafe-inline'", "frame-src 'self'",
    "base-uri 'none'", "form-action 'none'", `frame-ancestors ${lmsOrigin}`,
  ].join('; ');
}

/** A SCO href from the manifest, relative to the package root: no scheme, no absolute path. */
export function isRelativePackageHref(href: string): boolean {
  return href.length > 0 && href.length <= 2000 && !/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^[\\/]/.test(href) && !/[\s\\]/.test(href.split('?')[0]);
}
