/** Scores (0–100) into ten buckets 0–9, 10–19 … 90–100 for the trainer's histogram. Pure. */

export interface ScoreBucket { from: number; to: number; count: number }

export const BUCKET_COUNT = 10;

/** `scores` are (score, how many) pairs; out-of-range scores (SCORM 2004 scaled scores may be negative) clamp to the ends. */
export function scoreDistribution(scores: ReadonlyArray<{ score: number; count: number }>): ScoreBucket[] {
  const buckets: ScoreBucket[] = Array.from({ length: BUCKET_COUNT }, (_, i) => ({ from: i * 10, to: i === BUCKET_COUNT - 1 ? 100 : i * 10 + 9, count: 0 }));
  for (const { score, count } of scores) buckets[bucketOf(score)].count += count;
  return buckets;
}

export function bucketOf(score: number): number {
  return Math.min(BUCKET_COUNT - 1, Math.max(0, Math.floor(score / 10)));
}
