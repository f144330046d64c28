// Reads the interactions (question answers) out of a stored flat state, for question analysis.

import { ELEMENTS } from './element-names.js';
import type { CmiVersion } from './error-codes.js';

export interface InteractionRecord {
  idx: number;
  interactionId: string;
  type: string | null;
  /** 1.2 student_response, 2004 learner_response. */
  learnerResponse: string | null;
  /** correct_responses.0.pattern; further patterns are alternatives and stay in the state. */
  correctResponse: string | null;
  result: string | null;
  latency: string | null;
  /** 1.2 interactions.n.time (a time of day), 2004 interactions.n.timestamp; as reported. */
  recordedAt: string | null;
}

const INTERACTION_ELEMENT = /^cmi\.interactions\.(0|[1-9]\d*)\.(.+)$/;

/** Interactions in index order; entries without an id are left out (nothing to analyse them by). */
export function extractInteractions(version: CmiVersion, state: Readonly<Record<string, string>>): InteractionRecord[] {
  const fieldsByIndex = new Map<number, Map<string, string>>();
  for (const [element, value] of Object.entries(state)) {
    const match = INTERACTION_ELEMENT.exec(element);
    if (!match) continue;
    const idx = Number(match[1]);
    const fields = fieldsByIndex.get(idx) ?? new Map<string, string>();
    fields.set(match[2] ?? '', value);
    fieldsByIndex.set(idx, fields);
  }
  const names = ELEMENTS[version];
  return [...fieldsByIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([idx, fields]) => ({
      idx,
      interactionId: fields.get('id') ?? '',
      type: valueOf(fields, 'type'),
      learnerResponse: valueOf(fields, names.learnerResponse),
      correctResponse: valueOf(fields, 'correct_responses.0.pattern'),
      result: valueOf(fields, 'result'),
      latency: valueOf(fields, 'latency'),
      recordedAt: valueOf(fields, names.interactionTime),
    }))
    .filter((record) => record.interactionId !== '');
}

function valueOf(fields: Map<string, string>, field: string): string | null {
  const value = fields.get(field);
  return value === undefined || value === '' ? null : value;
}
