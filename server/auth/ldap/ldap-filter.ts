/**
 * RFC 4515 value escaping: what a person types can never change the filter's shape
 * (`*)(uid=*` becomes the literal text `\2a\29\28uid=\2a`).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The configured filter with every `{username}` replaced by the escaped value. */
export function buildUserFilter(template: string, username: string): string {
  return template.split('{username}').join(escapeFilterValue(username));
}
