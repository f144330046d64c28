// The golf 4th-edition sequencing sample loads jQuery 1.4.3 and jQuery UI 1.8.5 from Google's CDN.
// Tests run on a closed network, and the content security policy (script-src 'self') would block
// the CDN anyway, exactly as on a bank intranet. The launch page only uses jQuery for its "Notes"
// dialog ($("#notesWin").dialog(...), $("#txtNotes").val()), and without it doStart() throws
// before Initialize. This stub, added to every frame before the page's own scripts, stands in
// for those two calls so the SCORM behaviour under test is the package's own.
import type { BrowserContext } from 'playwright-core';

const STUB = `(() => {
  if (!/\\/shared\\/launchpage\\.html$/.test(location.pathname) || window.jQuery) return;
  const wrap = (selector) => ({
    dialog: () => undefined,
    val: (value) => {
      const el = typeof selector === 'string' ? document.querySelector(selector) : null;
      if (!el) return '';
      if (value === undefined) return el.value;
      el.value = value;
      return undefined;
    },
  });
  window.jQuery = window.$ = wrap;
})();`;

export async function stubCdnJquery(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: STUB });
}
