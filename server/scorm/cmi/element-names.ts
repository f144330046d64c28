// Where each piece of runtime state lives in the two data models.

import type { CmiVersion } from './error-codes.js';

export interface VersionElements {
  location: string;
  exit: string;
  sessionTime: string;
  suspendData: string;
  scoreRaw: string;
  scoreMin: string;
  scoreMax: string;
  /** SCORM 1.2 has no scaled score. */
  scoreScaled: string | null;
  learnerResponse: string;
  /** When the interaction happened: a 1.2 time of day, a 2004 timestamp. */
  interactionTime: string;
}

export const ELEMENTS: Readonly<Record<CmiVersion, VersionElements>> = {
  '1.2': {
    location: 'cmi.core.lesson_location',
    exit: 'cmi.core.exit',
    sessionTime: 'cmi.core.session_time',
    suspendData: 'cmi.suspend_data',
    scoreRaw: 'cmi.core.score.raw',
    scoreMin: 'cmi.core.score.min',
    scoreMax: 'cmi.core.score.max',
    scoreScaled: null,
    learnerResponse: 'student_response',
    interactionTime: 'time',
  },
  '2004': {
    location: 'cmi.location',
    exit: 'cmi.exit',
    sessionTime: 'cmi.session_time',
    suspendData: 'cmi.suspend_data',
    scoreRaw: 'cmi.score.raw',
    scoreMin: 'cmi.score.min',
    scoreMax: 'cmi.score.max',
    scoreScaled: 'cmi.score.scaled',
    learnerResponse: 'learner_response',
    interactionTime: 'timestamp',
  },
};

export function scoreElements(version: CmiVersion): string[] {
  const { scoreRaw, scoreMin, scoreMax, scoreScaled } = ELEMENTS[version];
  return scoreScaled === null ? [scoreRaw, scoreMin, scoreMax] : [scoreScaled, scoreRaw, scoreMin, scoreMax];
}
