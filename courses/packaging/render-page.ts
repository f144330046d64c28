// The HTML of one SCO page: a static shell in the default language (zh-CN) that the runtime
// re-labels after it learns the learner's language, plus the page's data as inline JSON.
import { escapeXml } from './xml.js';
import { RUNTIME_FOLDER, RUNTIME_SCRIPTS, RUNTIME_STYLESHEET } from './runtime-files.js';
import type { ScoPage } from './sco-plan.js';

/** JSON inside <script>: escape "<" so no "</script>" or "<!--" in the data can end the element. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderScoPage(page: ScoPage): string {
  const courseTitle = escapeXml(page.data.course.title.zh);
  const pageTitle = escapeXml(page.title.zh);
  const scripts = RUNTIME_SCRIPTS.map((name) => `<script src="${RUNTIME_FOLDER}/${name}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${pageTitle} | ${courseTitle}</title>
<link rel="stylesheet" href="${RUNTIME_FOLDER}/${RUNTIME_STYLESHEET}">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="course-header">
<p class="course-title">${courseTitle}</p>
<p class="part-label"></p>
</header>
<main id="main" tabindex="-1">
<h1>${pageTitle}</h1>
<div id="content">
<p>正在加载课程……</p>
<noscript><p>本课程需要启用 JavaScript。This course needs JavaScript.</p></noscript>
</div>
</main>
<script type="application/json" id="course-data">${embedJson(page.data)}</script>
${scripts}
</body>
</html>
`;
}
