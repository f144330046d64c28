// imsss:sequencingCollection and IDRef: an item's sequencing may borrow shared definitions.
import type { Element } from '@xmldom/xmldom';
import { AttributeValues } from './attribute-values.js';
import { IMSSS_NS } from './manifest-namespaces.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { readSequencing } from './read-sequencing.js';
import type { SequencingJson } from './sequencing.types.js';
import { childElement, childElements } from './xml-elements.js';

export type SequencingCollection = Record<string, SequencingJson>;

export function readSequencingCollection(manifest: Element, problems: ProblemList): SequencingCollection {
  const collection: SequencingCollection = {};
  const container = childElement(manifest, IMSSS_NS, 'sequencingCollection');
  if (!container) return collection;
  const values = new AttributeValues(problems, 'imsss:sequencingCollection');
  for (const element of childElements(container, IMSSS_NS, 'sequencing')) {
    const sequencing = readSequencing(element, values);
    if (sequencing.id === null) {
      values.missing(element, 'ID');
    } else if (sequencing.id in collection) {
      problems.error(ManifestProblemCode.DUPLICATE_IDENTIFIER, `imsss:sequencingCollection: ID "${sequencing.id}" is used twice`);
    } else {
      collection[sequencing.id] = sequencing;
    }
  }
  return collection;
}

/**
 * Combines a sequencing element with the collection entry its IDRef names. Merging is per child
 * element: an element written locally replaces the referenced one, the rest is borrowed.
 */
export function resolveSequencingReference(
  local: SequencingJson,
  collection: SequencingCollection,
  problems: ProblemList,
  where: string,
): SequencingJson {
  if (local.idRef === null) return local;
  const shared = Object.hasOwn(collection, local.idRef) ? collection[local.idRef] : undefined;
  if (!shared) {
    problems.error(
      ManifestProblemCode.SEQUENCING_REFERENCE_NOT_FOUND,
      `${where}: imsss:sequencing IDRef="${local.idRef}" matches no entry of imsss:sequencingCollection`,
    );
    return local;
  }
  return {
    id: local.id,
    idRef: local.idRef,
    controlMode: local.controlMode ?? shared.controlMode,
    sequencingRules: local.sequencingRules ?? shared.sequencingRules,
    limitConditions: local.limitConditions ?? shared.limitConditions,
    auxiliaryResources: local.auxiliaryResources ?? shared.auxiliaryResources,
    rollupRules: local.rollupRules ?? shared.rollupRules,
    objectives: local.objectives ?? shared.objectives,
    randomizationControls: local.randomizationControls ?? shared.randomizationControls,
    deliveryControls: local.deliveryControls ?? shared.deliveryControls,
    constrainedChoiceConsiderations: local.constrainedChoiceConsiderations ?? shared.constrainedChoiceConsiderations,
    rollupConsiderations: local.rollupConsiderations ?? shared.rollupConsiderations,
    adlObjectives: local.adlObjectives ?? shared.adlObjectives,
  };
}
