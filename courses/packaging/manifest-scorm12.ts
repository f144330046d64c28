// imsmanifest.xml for a SCORM 1.2 package: one organization, one SCO (every lesson). No mastery
// score: the package reports completion only; the exam is the LMS's.
import type { CourseSource } from './course-source.js';
import type { ScoPage } from './sco-plan.js';
import { escapeXml } from './xml.js';

export function renderScorm12Manifest(course: CourseSource, page: ScoPage, files: string[]): string {
  const fileLines = files.map((href) => `      <file href="${escapeXml(href)}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="RUIHE-${escapeXml(course.code)}" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-${escapeXml(course.code)}">
    <organization identifier="ORG-${escapeXml(course.code)}">
      <title>${escapeXml(course.title.zh)}</title>
      <item identifier="ITEM-${page.key}" identifierref="RES-${page.key}" isvisible="true">
        <title>${escapeXml(course.title.zh)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-${page.key}" type="webcontent" adlcp:scormtype="sco" href="${escapeXml(page.href)}">
${fileLines}
    </resource>
  </resources>
</manifest>
`;
}
