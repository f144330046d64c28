// imsmanifest.xml for a SCORM 2004 4th Edition package: a SCO per lesson (the exam is the LMS's).
// Sequencing (SN book; element order per the imsss/adlseq schemas):
//  - flow and choice navigation from the root;
//  - lesson n is disabled until lesson n-1 is completed. Completion travels through global
//    objectives with 4th Edition adlseq:mapInfo read/writeCompletionStatus (scoped to this course
//    by adlseq:objectivesGlobalToSystem="false");
//  - lessons roll up completion only (rollupObjectiveSatisfied="false", objectiveMeasureWeight="0"):
//    nothing in the package can pass the course.
import type { CourseSource } from './course-source.js';
import type { ScoPage } from './sco-plan.js';
import { escapeXml } from './xml.js';

const NAMESPACES = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/** Global objective that records whether lesson n (1-based) is completed. */
function lessonCompletionTarget(course: CourseSource, lessonNumber: number): string {
  return `urn:ruihe-bank:course:${course.code}:lesson-${lessonNumber}:completed`;
}

/** Preconditions that disable an activity until each referenced (local) objective is completed. */
function disabledUntilCompleted(localObjectiveIds: string[]): string {
  const conditions = localObjectiveIds.flatMap((id) => [
    `                <imsss:ruleCondition referencedObjective="${id}" operator="not" condition="completed"/>`,
    // "not completed" is unknown while nothing is recorded yet; this makes the rule fire then too.
    `                <imsss:ruleCondition referencedObjective="${id}" operator="not" condition="activityProgressKnown"/>`,
  ]);
  return `          <imsss:sequencingRules>
            <imsss:preConditionRule>
              <imsss:ruleConditions conditionCombination="any">
${conditions.join('\n')}
              </imsss:ruleConditions>
              <imsss:ruleAction action="disabled"/>
            </imsss:preConditionRule>
          </imsss:sequencingRules>`;
}

function readCompletionMap(localId: string, targetId: string): string {
  return `            <adlseq:objective objectiveID="${localId}">
              <adlseq:mapInfo targetObjectiveID="${escapeXml(targetId)}" readCompletionStatus="true" writeCompletionStatus="false"/>
            </adlseq:objective>`;
}

function lessonItem(course: CourseSource, page: ScoPage, lessonNumber: number): string {
  const ownId = `lesson-${lessonNumber}-completed`;
  const previousId = 'previous-lesson-completed';
  const hasPrevious = lessonNumber > 1;
  const objectives = [`            <imsss:primaryObjective objectiveID="${ownId}"/>`];
  if (hasPrevious) objectives.push(`            <imsss:objective objectiveID="${previousId}"/>`);
  const maps = [`            <adlseq:objective objectiveID="${ownId}">
              <adlseq:mapInfo targetObjectiveID="${escapeXml(lessonCompletionTarget(course, lessonNumber))}" readCompletionStatus="true" writeCompletionStatus="true"/>
            </adlseq:objective>`];
  if (hasPrevious) maps.push(readCompletionMap(previousId, lessonCompletionTarget(course, lessonNumber - 1)));

  return `      <item identifier="ITEM-${page.key}" identifierref="RES-${page.key}">
        <title>${escapeXml(page.title.zh)}</title>
        <imsss:sequencing>
${hasPrevious ? disabledUntilCompleted([previousId]) + '\n' : ''}          <imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="true" objectiveMeasureWeight="0"/>
          <imsss:objectives>
${objectives.join('\n')}
          </imsss:objectives>
          <imsss:deliveryControls tracked="true" completionSetByContent="true" objectiveSetByContent="true"/>
          <adlseq:objectives>
${maps.join('\n')}
          </adlseq:objectives>
        </imsss:sequencing>
      </item>`;
}

function scoResource(page: ScoPage): string {
  return `    <resource identifier="RES-${page.key}" type="webcontent" adlcp:scormType="sco" href="${escapeXml(page.href)}">
      <file href="${escapeXml(page.href)}"/>
      <dependency identifierref="RES-RUNTIME"/>
    </resource>`;
}

export function renderScorm2004Manifest(course: CourseSource, pages: ScoPage[], runtimeFiles: string[]): string {
  const lessonPages = pages.filter((page) => page.data.kind === 'lesson');
  if (lessonPages.length !== course.lessons.length || lessonPages.length !== pages.length) {
    throw new Error(`${course.code}: a SCORM 2004 package needs one page per lesson and nothing else`);
  }
  const items = lessonPages.map((page, index) => lessonItem(course, page, index + 1));
  const code = escapeXml(course.code);
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="RUIHE-${code}" version="1.0"
          ${NAMESPACES}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG-${code}">
    <organization identifier="ORG-${code}" adlseq:objectivesGlobalToSystem="false">
      <title>${escapeXml(course.title.zh)}</title>
${items.join('\n')}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
${pages.map(scoResource).join('\n')}
    <resource identifier="RES-RUNTIME" type="webcontent" adlcp:scormType="asset">
${runtimeFiles.map((href) => `      <file href="${escapeXml(href)}"/>`).join('\n')}
    </resource>
  </resources>
</manifest>
`;
}
