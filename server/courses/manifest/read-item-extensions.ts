// The ADL extension elements an <item> may carry: launch values (adlcp), completion threshold,
// shared data maps (adlcp:data) and LMS UI hiding (adlnav:presentation).
import type { Element } from '@xmldom/xmldom';
import type { AttributeValues } from './attribute-values.js';
import type { CompletionThresholdJson, Prerequisites, SharedDataMap } from './manifest.types.js';
import { ADLCP_NAMESPACES, ADLNAV_NS } from './manifest-namespaces.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { attributeOf, childElement, childElementAnyCase, childElements, textOf } from './xml-elements.js';

const UNIT = { min: 0, max: 1 };
const HIDE_LMS_UI_TOKENS = ['abandon', 'continue', 'exit', 'previous', 'suspendAll', 'exitAll', 'abandonAll'];

/** An adlcp element's text; the name is matched in any case (1.2 `datafromlms`, 2004 `dataFromLMS`). */
export function adlcpText(item: Element, name: string): string | null {
  return textOf(childElementAnyCase(item, ADLCP_NAMESPACES, name));
}

/** SCORM 1.2 adlcp:masteryscore, a percentage. */
export function readMasteryScore(item: Element, values: AttributeValues): number | null {
  const element = childElementAnyCase(item, ADLCP_NAMESPACES, 'masteryscore');
  return element && textOf(element) !== null ? values.decimalText(element, { min: 0, max: 100 }) : null;
}

export function readPrerequisites(item: Element): Prerequisites | null {
  const element = childElementAnyCase(item, ADLCP_NAMESPACES, 'prerequisites');
  const expression = textOf(element);
  if (!element || expression === null) return null;
  return { type: attributeOf(element, 'type')?.trim() || null, expression };
}

/**
 * adlcp:completionThreshold in either form: the 2004 3rd-edition text (`<…>0.8</…>`, which means
 * "completed by measure at 0.8") or the 4th-edition attributes. Returned in the attribute shape.
 */
export function readCompletionThreshold(item: Element, values: AttributeValues): CompletionThresholdJson | null {
  const element = childElementAnyCase(item, ADLCP_NAMESPACES, 'completionThreshold');
  if (!element) return null;
  const progressWeight = values.decimal(element, 'progressWeight', UNIT) ?? 1;
  if (textOf(element) !== null && attributeOf(element, 'completedByMeasure') === null) {
    const threshold = values.decimalText(element, UNIT);
    if (threshold !== null) return { completedByMeasure: true, minProgressMeasure: threshold, progressWeight };
  }
  return {
    completedByMeasure: values.boolean(element, 'completedByMeasure', false),
    minProgressMeasure: values.decimal(element, 'minProgressMeasure', UNIT) ?? 1,
    progressWeight,
  };
}

/** cmi.completion_threshold: only set when completion is judged by measure. */
export function completionThresholdValue(threshold: CompletionThresholdJson | null): number | null {
  return threshold?.completedByMeasure ? threshold.minProgressMeasure : null;
}

export function readSharedDataMaps(item: Element, values: AttributeValues): SharedDataMap[] {
  const data = childElement(item, ADLCP_NAMESPACES, 'data');
  if (!data) return [];
  return childElements(data, ADLCP_NAMESPACES, 'map').flatMap((map) => {
    const targetId = values.requiredString(map, 'targetID');
    if (targetId === null) return [];
    return [{
      targetId,
      readSharedData: values.boolean(map, 'readSharedData', true),
      // The shipped adlcp XSD says false, the CAM text true; ADL's conformance packages write to
      // maps that leave it out, so true (README, "SCORM conformance").
      writeSharedData: values.boolean(map, 'writeSharedData', true),
    }];
  });
}

/** adlnav:presentation/navigationInterface/hideLMSUI: unknown tokens are dropped with a warning. */
export function readHideLmsUi(item: Element, problems: ProblemList, where: string): string[] {
  const presentation = childElement(item, ADLNAV_NS, 'presentation');
  const navigation = presentation ? childElement(presentation, ADLNAV_NS, 'navigationInterface') : null;
  if (!navigation) return [];
  const tokens: string[] = [];
  for (const element of childElements(navigation, ADLNAV_NS, 'hideLMSUI')) {
    const token = textOf(element);
    if (token === null) continue;
    if (!HIDE_LMS_UI_TOKENS.includes(token)) {
      problems.warn(ManifestProblemCode.INVALID_VALUE, `${where}: hideLMSUI "${token}" is not one of ${HIDE_LMS_UI_TOKENS.join(', ')}; ignored`);
    } else if (!tokens.includes(token)) {
      tokens.push(token);
    }
  }
  return tokens;
}
