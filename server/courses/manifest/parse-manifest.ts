// Reads imsmanifest.xml (SCORM 1.2, 2004 2nd–4th edition) into ParsedManifest. Pure: no I/O.
// `manifest` is null only when nothing usable could be read; the package is acceptable iff no
// problem has severity 'error'.
import type { Element } from '@xmldom/xmldom';
import { AttributeValues } from './attribute-values.js';
import { buildScoDefinitions } from './build-sco-definitions.js';
import { detectScormVersion } from './detect-scorm-version.js';
import type { ManifestResource, PackageProblem, ParsedManifest } from './manifest.types.js';
import { ADLCP_NAMESPACES, ADLSEQ_NS } from './manifest-namespaces.js';
import { ManifestProblemCode, ProblemList } from './manifest-problems.js';
import { readItems, readItemSequencing, type ItemReadContext } from './read-items.js';
import { checkDependencies, readResources } from './read-resources.js';
import { parseSafeXml } from './safe-xml.js';
import { readSequencingCollection } from './sequencing-references.js';
import { attributeOf, childElement, childElements, displayTextOf, type NamespaceMatch } from './xml-elements.js';

export interface ParseManifestResult {
  manifest: ParsedManifest | null;
  problems: PackageProblem[];
}

export function parseManifest(xml: string): ParseManifestResult {
  const problems = new ProblemList();
  const manifest = readManifest(xml, problems);
  return { manifest, problems: problems.problems };
}

function readManifest(xml: string, problems: ProblemList): ParsedManifest | null {
  const parsed = parseSafeXml(xml);
  if (!parsed.ok) {
    if (parsed.reason === 'doctype') {
      problems.error(ManifestProblemCode.DOCTYPE, 'imsmanifest.xml declares a DOCTYPE; manifests with DTDs or entities are refused for safety');
    } else if (parsed.reason === 'too-deep') {
      problems.error(ManifestProblemCode.TOO_DEEP, `imsmanifest.xml is refused: ${parsed.message}; no real course is built like this`);
    } else if (parsed.reason === 'too-many-elements') {
      problems.error(ManifestProblemCode.TOO_MANY_ELEMENTS, `imsmanifest.xml is refused: ${parsed.message}; split the course into smaller packages`);
    } else {
      problems.error(ManifestProblemCode.INVALID_XML, `imsmanifest.xml is not well-formed XML: ${parsed.message}`);
    }
    return null;
  }
  const root = parsed.document.documentElement;
  if (!root || root.localName !== 'manifest') {
    problems.error(ManifestProblemCode.NOT_A_MANIFEST, `imsmanifest.xml has <${root?.tagName ?? ''}> at its root, not <manifest>`);
    return null;
  }
  // The content-packaging namespace is whatever the root uses (1.2 and 2004 differ; some tools use none).
  const cpNamespace: NamespaceMatch = root.namespaceURI ?? null;
  const { scormVersion, schemaVersion } = detectScormVersion(root, cpNamespace, problems);

  const organization = chooseOrganization(root, cpNamespace, problems);
  if (!organization) return null;

  const sequencingCollection = readSequencingCollection(root, problems);
  const resourceList = readResources(root, cpNamespace, problems);
  checkDependencies(resourceList, problems);
  const resources = new Map<string, ManifestResource>(resourceList.map((resource) => [resource.identifier, resource]));

  const context: ItemReadContext = { version: scormVersion, cpNamespace, resources, sequencingCollection, problems };
  const organizationId = attributeOf(organization, 'identifier')?.trim() ?? '';
  const where = `organization "${organizationId}"`;
  const values = new AttributeValues(problems, where);
  const items = readItems(organization, context);
  if (items.length === 0) {
    problems.error(ManifestProblemCode.NO_ITEMS, `${where} has no items`);
  }
  const scos = buildScoDefinitions(items, resources, problems, { includeAssets: scormVersion !== '1.2' });
  const scoCount = scos.filter((sco) => resources.get(sco.resourceId)?.scormType === 'sco').length;
  if (items.length > 0 && scoCount === 0) {
    problems.error(ManifestProblemCode.NO_SCO, `${where} has no SCO: no item launches a resource with adlcp:scormType="sco", so nothing could be tracked`);
  }

  const identifier = attributeOf(root, 'identifier')?.trim() ?? '';
  return {
    scormVersion,
    schemaVersion,
    identifier,
    title: displayTextOf(childElement(organization, cpNamespace, 'title')) ?? items[0]?.title ?? identifier,
    organizationId,
    items,
    scos,
    organizationSequencing: readItemSequencing(organization, values, context, where),
    objectivesGlobalToSystem: values.namespacedBoolean(organization, ADLSEQ_NS, 'objectivesGlobalToSystem', true),
    sharedDataGlobalToSystem: values.namespacedBoolean(organization, ADLCP_NAMESPACES, 'sharedDataGlobalToSystem', true),
    sequencingCollection,
    resources: resourceList,
  };
}

/**
 * The organisation named by organizations@default; when that names nothing (real packages do
 * this), the first organisation, with a warning.
 */
function chooseOrganization(root: Element, cpNamespace: NamespaceMatch, problems: ProblemList): Element | null {
  const container = childElement(root, cpNamespace, 'organizations');
  const organizations = container ? childElements(container, cpNamespace, 'organization') : [];
  const first = organizations[0];
  if (!container || !first) {
    problems.error(ManifestProblemCode.NO_ORGANIZATION, 'imsmanifest.xml has no <organization>: there is no course structure to launch');
    return null;
  }
  const wanted = attributeOf(container, 'default')?.trim() || null;
  if (wanted === null) return first;
  const named = organizations.find((organization) => attributeOf(organization, 'identifier')?.trim() === wanted);
  if (named) return named;
  problems.warn(
    ManifestProblemCode.DEFAULT_ORGANIZATION_NOT_FOUND,
    `organizations default="${wanted}" matches no organization; the first one ("${attributeOf(first, 'identifier') ?? ''}") is used`,
  );
  return first;
}
