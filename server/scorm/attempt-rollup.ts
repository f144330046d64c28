// Rolls the SCO states of one attempt up to the course level (pure).
import type { CompletionStatus, SuccessStatus } from './cmi/status-rules.js';

export interface ScoOutcome { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null }
export interface AttemptOutcome { completionStatus: CompletionStatus; successStatus: SuccessStatus; scoreScaled: number | null }

/**
 * Completion: every SCO completed → completed; anything started → incomplete.
 * Success: any failed SCO → failed; otherwise passed once every SCO that judges success (a
 * mastery score, a passing score, or one that reported passed) has passed.
 * Score: the mean scaled score of the SCOs that reported one (usually the one exam SCO).
 */
export function rollupAttempt(scos: Array<{ id: number; judgesSuccess: boolean }>, outcomes: ReadonlyMap<number, ScoOutcome>): AttemptOutcome {
  const states = scos.map((s) => ({ sco: s, outcome: outcomes.get(s.id) }));
  const started = states.filter((s) => s.outcome && s.outcome.completionStatus !== 'not attempted');
  const completionStatus: CompletionStatus = scos.length > 0 && states.every((s) => s.outcome?.completionStatus === 'completed')
    ? 'completed' : started.length > 0 ? 'incomplete' : 'not attempted';
  const judged = states.filter((s) => s.sco.judgesSuccess || (s.outcome && s.outcome.successStatus !== 'unknown'));
  let successStatus: SuccessStatus = 'unknown';
  if (judged.some((s) => s.outcome?.successStatus === 'failed')) successStatus = 'failed';
  else if (judged.length > 0 && judged.every((s) => s.outcome?.successStatus === 'passed')) successStatus = 'passed';
  const scores = states.map((s) => s.outcome?.scoreScaled).filter((v): v is number => typeof v === 'number');
  const scoreScaled = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10_000) / 10_000 : null;
  return { completionStatus, successStatus, scoreScaled };
}
