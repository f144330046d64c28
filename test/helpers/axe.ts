// axe-core in a real page or frame: injects node_modules/axe-core/axe.min.js and lists the
// violations that matter for acceptance (serious and critical).
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';

const AXE_PATH = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url);
let axeSource: string | null = null;

export interface AxeFinding { id: string; impact: string | null; help: string; targets: string[] }

type AxeTarget = Page | Frame;

/**
 * Injects axe unless present. Through the DevTools protocol rather than a <script> element: the
 * LMS pages forbid inline scripts (CSP script-src 'self'), and a test must not loosen the CSP it
 * is checking the pages under.
 */
async function injectAxe(target: AxeTarget): Promise<void> {
  if (await target.evaluate(() => 'axe' in window)) return;
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  await target.evaluate(`${axeSource}\n;void 0`);
  if (!(await target.evaluate(() => 'axe' in window))) throw new Error('axe-core did not load');
}

/**
 * Runs axe on the whole document and returns the serious and critical violations. Frames are
 * left out (`iframes: false`): audit a content frame on its own, it may live on another origin.
 */
export async function seriousViolations(target: AxeTarget): Promise<AxeFinding[]> {
  await injectAxe(target);
  const violations = await target.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with the rule ids, help texts and offending elements when axe finds serious problems. */
export async function expectAccessible(target: AxeTarget, where: string): Promise<void> {
  const findings = await seriousViolations(target);
  expect(findings, `${where}: serious/critical axe violations\n${JSON.stringify(findings, null, 1)}`).to.deep.equal([]);
}
