/**
 * What a package may do in the browser: the `sandbox` of the player's frame (and of the SCO
 * frame inside the content launcher). Scripts, its own origin's storage, forms, confirm()
 * dialogs (golf asks "resume?"), new windows that stay sandboxed (links a package opens
 * beside itself), downloads. Never `allow-top-navigation` (or `…-by-user-activation`): a
 * package must not replace the learner's LMS tab, with or without a click; and never
 * `allow-popups-to-escape-sandbox`: an unsandboxed popup could navigate its opener's tab.
 *
 * `allow-same-origin` keeps the frame's real origin. On the content origin (the default) that
 * is the package's own origin, needed for postMessage to the player and for its storage. In
 * same-origin mode it is the LMS origin, where scripts plus same-origin can reach the player
 * and lift this sandbox: that mode is for trusted content only (README, "What a package may do").
 */
export const PACKAGE_FRAME_SANDBOX = [
  'allow-scripts', 'allow-same-origin', 'allow-forms', 'allow-modals', 'allow-popups', 'allow-downloads',
].join(' ');
