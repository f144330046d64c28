/**
 * Packages are authoring-tool output: inline scripts, eval (Captivate, Storyline), inline styles,
 * data: and blob: media. Allow those from the package's own origin; block plugins, other origins,
 * and being framed by anyone but the LMS.
 */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    // Rise and other players start Web Workers from blob: URLs.
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}
