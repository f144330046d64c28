// <resources>: launch hrefs and file lists with xml:base applied at every level
// (manifest, resources, resource), the SCO/asset type, and dependencies.
import type { Element } from '@xmldom/xmldom';
import type { ManifestResource } from './manifest.types.js';
import { ADLCP_NAMESPACES, XML_NS } from './manifest-namespaces.js';
import { ManifestProblemCode, type ProblemList } from './manifest-problems.js';
import { resolvePackageHref } from './package-href.js';
import { attributeOf, childElement, childElements, namespacedAttributeOf, type NamespaceMatch } from './xml-elements.js';

export function readResources(manifest: Element, cpNamespace: NamespaceMatch, problems: ProblemList): ManifestResource[] {
  const container = childElement(manifest, cpNamespace, 'resources');
  if (!container) return [];
  const outerBases = [xmlBaseOf(manifest), xmlBaseOf(container)];
  const resources: ManifestResource[] = [];
  const seen = new Set<string>();
  for (const element of childElements(container, cpNamespace, 'resource')) {
    const identifier = attributeOf(element, 'identifier')?.trim() ?? '';
    if (identifier === '') {
      problems.error(ManifestProblemCode.MISSING_VALUE, 'a <resource> has no identifier');
      continue;
    }
    if (seen.has(identifier)) {
      problems.warn(ManifestProblemCode.DUPLICATE_IDENTIFIER, `resource "${identifier}" is defined twice; the first one is used`);
      continue;
    }
    seen.add(identifier);
    resources.push(readResource(element, identifier, [...outerBases, xmlBaseOf(element)], cpNamespace, problems));
  }
  return resources;
}

function readResource(
  element: Element,
  identifier: string,
  bases: Array<string | null>,
  cpNamespace: NamespaceMatch,
  problems: ProblemList,
): ManifestResource {
  const scormType = scormTypeOf(element);
  const rawHref = attributeOf(element, 'href')?.trim() || null;
  let href: string | null = null;
  if (rawHref !== null) {
    const resolved = resolvePackageHref(bases, rawHref);
    if (resolved.kind === 'outside') {
      problems.error(ManifestProblemCode.HREF_OUTSIDE_PACKAGE, `resource "${identifier}": href ${resolved.href} points outside the package`);
    } else {
      href = resolved.href;
      if (resolved.kind === 'external' && scormType === 'sco') {
        // The player serves SCOs from the LMS origin; a SCO elsewhere could never find the API.
        problems.error(ManifestProblemCode.HREF_EXTERNAL, `resource "${identifier}": the SCO launches ${resolved.href}, outside the package`);
      }
    }
  }
  const files: string[] = [];
  for (const file of childElements(element, cpNamespace, 'file')) {
    const fileHref = attributeOf(file, 'href')?.trim() || null;
    if (fileHref === null) continue;
    const resolved = resolvePackageHref(bases, fileHref);
    if (resolved.kind === 'package') {
      files.push(resolved.href);
    } else if (resolved.kind === 'outside') {
      problems.warn(ManifestProblemCode.HREF_OUTSIDE_PACKAGE, `resource "${identifier}": file ${resolved.href} points outside the package; ignored`);
    }
  }
  const dependencies = childElements(element, cpNamespace, 'dependency')
    .map((dependency) => attributeOf(dependency, 'identifierref')?.trim() ?? '')
    .filter((id) => id !== '');
  return { identifier, scormType, href, files, dependencies };
}

/** adlcp:scormtype (1.2) or adlcp:scormType (2004), in either adlcp namespace. */
function scormTypeOf(element: Element): 'sco' | 'asset' | null {
  const value = namespacedAttributeOf(element, ADLCP_NAMESPACES, 'scormType', { anyCase: true })?.trim().toLowerCase();
  return value === 'sco' || value === 'asset' ? value : null;
}

function xmlBaseOf(element: Element): string | null {
  return namespacedAttributeOf(element, XML_NS, 'base');
}

/** Warns about dependencies that name no resource: real packages have them, and they harm nothing at runtime. */
export function checkDependencies(resources: ManifestResource[], problems: ProblemList): void {
  const known = new Set(resources.map((resource) => resource.identifier));
  for (const resource of resources) {
    for (const dependency of resource.dependencies) {
      if (!known.has(dependency)) {
        problems.warn(ManifestProblemCode.DEPENDENCY_NOT_FOUND, `resource "${resource.identifier}": dependency "${dependency}" matches no resource`);
      }
    }
  }
}
