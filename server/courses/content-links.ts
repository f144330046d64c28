import type { CapabilitySigner } from './content-capability.js';

export interface ScoLinkRequest {
  /** The origin the learner's browser is on (the player's origin). */
  lmsOrigin: string;
  /** The LMS mount path, for the same-origin /content route. */
  baseUrl: string;
  versionId: number;
  /** The SCO's launch href, relative to the package root (may carry ?parameters). */
  href: string;
  /** Whom the capability is for: `launch:<token hash prefix>` or `preview:<user id>`. */
  subject: string;
  apiVersion: '1.2' | '2004';
  expiresAt: Date;
}

/** Where the player's frame loads a SCO: the LMS's own /content route, or the launcher on the content origin. */
export interface ContentLinks {
  readonly contentOrigin: string | null;
  scoFrameUrl(request: ScoLinkRequest): string;
}

export function createContentLinks(deps: { contentOrigin: string | null; capabilities: CapabilitySigner }): ContentLinks {
  return {
    contentOrigin: deps.contentOrigin,
    scoFrameUrl(request) {
      if (!deps.contentOrigin) return `${request.baseUrl}/content/${request.versionId}/${request.href}`;
      const capability = deps.capabilities.sign({
        versionId: request.versionId, subject: request.subject, lmsOrigin: request.lmsOrigin, expiresAt: request.expiresAt.getTime(),
      });
      return `${deps.contentOrigin}/launch/${capability}?sco=${encodeURIComponent(request.href)}&api=${request.apiVersion}`;
    },
  };
}
