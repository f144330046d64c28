// The item tree of one organisation, with everything each item says about its launch.
import type { Element } from '@xmldom/xmldom';
import { AttributeValues } from './attribute-values.js';
import type { ManifestItem, ManifestResource, ScormVersion } from './manifest.types.js';
import { IMSSS_NS } from './manifest-namespaces.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { appendParameters } from './package-href.js';
import {
  adlcpText,
  readCompletionThreshold,
  readHideLmsUi,
  readMasteryScore,
  readPrerequisites,
  readSharedDataMaps,
} from './read-item-extensions.js';
import { readSequencing } from './read-sequencing.js';
import { unmatchedAdlObjectiveIds } from './sequencing-objectives.js';
import { resolveSequencingReference, type SequencingCollection } from './sequencing-references.js';
import type { SequencingJson } from './sequencing.types.js';
import { attributeOf, childElement, childElements, displayTextOf, type NamespaceMatch } from './xml-elements.js';

export interface ItemReadContext {
  version: ScormVersion;
  cpNamespace: NamespaceMatch;
  resources: ReadonlyMap<string, ManifestResource>;
  sequencingCollection: SequencingCollection;
  problems: ProblemList;
}

/** The child items of an organisation or item, depth first, in manifest order. */
export function readItems(parent: Element, context: ItemReadContext, seenIds: Set<string> = new Set()): ManifestItem[] {
  return childElements(parent, context.cpNamespace, 'item').map((element) => readItem(element, context, seenIds));
}

function readItem(element: Element, context: ItemReadContext, seenIds: Set<string>): ManifestItem {
  const { problems } = context;
  const identifier = attributeOf(element, 'identifier')?.trim() ?? '';
  if (identifier === '') {
    problems.error(ManifestProblemCode.MISSING_VALUE, 'an <item> has no identifier');
  } else if (seenIds.has(identifier)) {
    // Runtime state is stored per item identifier: two items with one id would share it.
    problems.error(ManifestProblemCode.DUPLICATE_IDENTIFIER, `item identifier "${identifier}" is used twice`);
  } else {
    seenIds.add(identifier);
  }
  const where = `item "${identifier}"`;
  const values = new AttributeValues(problems, where);

  let title = displayTextOf(childElement(element, context.cpNamespace, 'title'));
  if (title === null) {
    problems.warn(ManifestProblemCode.MISSING_VALUE, `${where} has no title; its identifier is shown instead`);
    title = identifier;
  }

  const resourceId = attributeOf(element, 'identifierref')?.trim() || null;
  const parameters = attributeOf(element, 'parameters')?.trim() || null;
  const resource = resourceId === null ? undefined : context.resources.get(resourceId);
  if (resourceId !== null && !resource) {
    problems.error(ManifestProblemCode.RESOURCE_NOT_FOUND, `${where}: identifierref "${resourceId}" matches no resource`);
  }
  const href = resource?.href ? appendParameters(resource.href, parameters) : null;

  const sequencing = readItemSequencing(element, values, context, where);
  const isScorm12 = context.version === '1.2';
  return {
    identifier,
    title,
    isVisible: values.boolean(element, 'isvisible', true),
    resourceId,
    parameters,
    href,
    children: readItems(element, context, seenIds),
    sequencing,
    masteryScore: isScorm12 ? readMasteryScore(element, values) : null,
    maxTimeAllowed: adlcpText(element, 'maxTimeAllowed') ?? sequencing?.limitConditions?.attemptAbsoluteDurationLimit ?? null,
    timeLimitAction: adlcpText(element, 'timeLimitAction'),
    dataFromLms: adlcpText(element, 'dataFromLMS'),
    prerequisites: readPrerequisites(element),
    completionThreshold: isScorm12 ? null : readCompletionThreshold(element, values),
    hideLmsUi: readHideLmsUi(element, problems, where),
    dataMaps: readSharedDataMaps(element, values),
  };
}

/** imsss:sequencing of an item or organisation, IDRef resolved. */
export function readItemSequencing(
  element: Element,
  values: AttributeValues,
  context: ItemReadContext,
  where: string,
): SequencingJson | null {
  const sequencingElement = childElement(element, IMSSS_NS, 'sequencing');
  if (!sequencingElement) return null;
  const local = readSequencing(sequencingElement, values);
  const sequencing = resolveSequencingReference(local, context.sequencingCollection, context.problems, where);
  for (const id of unmatchedAdlObjectiveIds(sequencing)) {
    context.problems.warn(ManifestProblemCode.INVALID_VALUE, `${where}: adlseq:objective "${id}" names no imsss objective; its mapInfo is ignored`);
  }
  return sequencing;
}
