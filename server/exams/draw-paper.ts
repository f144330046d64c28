/**
 * Draws an exam paper: per rule, N questions from the active questions matching its knowledge
 * points and difficulties, without repeats across rules; question order and option order
 * shuffled per attempt from a seed (so a paper is reproducible from its seed in tests). Pure.
 */
import crypto from 'node:crypto';
import { OPTION_LETTERS, type QuestionType } from './question.types.js';

export interface DrawRule {
  count: number;
  /** Any of these knowledge points; empty means any question. */
  tags: string[];
  /** Any of these difficulties (1–5); empty means any. */
  difficulties: number[];
}

export interface Candidate { questionId: number; tags: string[]; difficulty: number | null }

export interface PaperQuestion {
  questionId: number; versionId: number; type: QuestionType; stem: string;
  /** In the order shown; `id` is opaque and differs per attempt, `letter` is the bank's. */
  options: Array<{ id: string; letter: string; text: string }>;
  /** Correct option ids (never sent to a learner before submission). */
  correct: string[];
  explanation: string; tags: string[];
}

/** Shared between papers (BanksRepository caches them per version): read only. */
export interface VersionContent {
  readonly questionId: number; readonly versionId: number; readonly type: QuestionType; readonly stem: string; readonly options: readonly string[];
  readonly answer: readonly string[]; readonly explanation: string; readonly tags: readonly string[];
}

/** mulberry32: a small, fast, seedable generator; good enough to shuffle a paper. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function matchesRule(rule: DrawRule, c: Candidate): boolean {
  return (rule.tags.length === 0 || c.tags.some((t) => rule.tags.includes(t)))
    && (rule.difficulties.length === 0 || (c.difficulty !== null && rule.difficulties.includes(c.difficulty)));
}

/** For each rule, how many questions it could draw (after earlier rules took theirs), to check settings. */
export function ruleShortfalls(rules: readonly DrawRule[], candidates: readonly Candidate[]): Array<{ rule: number; available: number; wanted: number }> {
  const taken = new Set<number>();
  const short: Array<{ rule: number; available: number; wanted: number }> = [];
  rules.forEach((rule, i) => {
    const pool = candidates.filter((c) => !taken.has(c.questionId) && matchesRule(rule, c));
    pool.slice(0, rule.count).forEach((c) => taken.add(c.questionId));
    if (pool.length < rule.count) short.push({ rule: i, available: pool.length, wanted: rule.count });
  });
  return short;
}

/** The ids a rule may draw from (before other rules take theirs); callers may keep them per bank version. */
export type RulePool = (rule: DrawRule) => readonly number[];

export function matchingIds(rule: DrawRule, candidates: readonly Candidate[]): number[] {
  return candidates.filter((c) => matchesRule(rule, c)).map((c) => c.questionId);
}

/** Picks question ids per rule; null when the bank cannot fill a rule. */
export function drawQuestionIds(
  rules: readonly DrawRule[], candidates: readonly Candidate[], random: () => number, pool: RulePool = (rule) => matchingIds(rule, candidates),
): number[] | null {
  const taken = new Set<number>();
  const picked: number[] = [];
  for (const rule of rules) {
    const matching = pool(rule);
    const ids = taken.size === 0 ? matching.slice() : matching.filter((id) => !taken.has(id));
    if (ids.length < rule.count) return null;
    // A partial Fisher–Yates: only the first `count` places are shuffled.
    for (let i = 0; i < rule.count; i += 1) {
      const j = i + Math.floor(random() * (ids.length - i));
      [ids[i], ids[j]] = [ids[j], ids[i]];
      taken.add(ids[i]);
      picked.push(ids[i]);
    }
  }
  return picked;
}

/**
 * Option ids that say nothing about an option's letter or correctness, unique within the attempt:
 * 60 bits each, one SHA-512 per question (its 64 bytes give the 8 options the most a question
 * has 8 bytes each) instead of a hash per option.
 */
export function optionIds(seed: number, questionId: number, count: number): string[] {
  const digest = crypto.createHash('sha512').update(`${seed}:${questionId}`).digest();
  return Array.from({ length: count }, (_, i) => digest.subarray(i * 8, i * 8 + 8).toString('base64url').slice(0, 10));
}

/** Lays out the drawn versions: question order (if shuffled), option order (if shuffled, not for true/false). */
export function layOutPaper(versions: readonly VersionContent[], seed: number, settings: { shuffleQuestions: boolean; shuffleOptions: boolean }): PaperQuestion[] {
  const random = seededRandom(seed ^ 0x5bd1e995);
  const ordered = settings.shuffleQuestions ? shuffle(versions, random) : [...versions];
  return ordered.map((v) => {
    const ids = optionIds(seed, v.questionId, v.options.length);
    const lettered = v.options.map((text, i) => ({ id: ids[i], letter: OPTION_LETTERS[i], text }));
    const options = settings.shuffleOptions && v.type !== 'true_false' ? shuffle(lettered, random) : lettered;
    return {
      questionId: v.questionId, versionId: v.versionId, type: v.type, stem: v.stem, options,
      correct: lettered.filter((o) => v.answer.includes(o.letter)).map((o) => o.id), explanation: v.explanation, tags: [...v.tags],
    };
  });
}

/**
 * Draw candidates per bank, kept while the bank's `updated_at` (its version) is unchanged, with the
 * ids each rule may draw from computed once per rule (both dialects' banks repositories use it).
 */
export class CandidateCache {
  private readonly banks = new Map<number, { version: string; candidates: Candidate[]; pools: Map<string, number[]> }>();

  /** `version`: the bank's updated_at (undefined: no such bank, nothing kept); `load` reads its active questions. */
  async source(bankId: number, version: string | undefined, load: () => Promise<Array<{ id: number; tags_json: string; difficulty: number | null }>>): Promise<{ candidates: Candidate[]; pool: RulePool }> {
    let cached = this.banks.get(bankId);
    if (!cached || cached.version !== version) {
      const candidates = (await load()).map((r) => ({ questionId: r.id, tags: JSON.parse(r.tags_json) as string[], difficulty: r.difficulty }));
      cached = { version: version ?? '', candidates, pools: new Map() };
      if (version !== undefined) this.banks.set(bankId, cached);
    }
    const { candidates, pools } = cached;
    return {
      candidates,
      pool: (rule) => {
        const key = JSON.stringify([rule.tags, rule.difficulties]);
        let ids = pools.get(key);
        if (!ids) {
          ids = matchingIds(rule, candidates);
          pools.set(key, ids);
        }
        return ids;
      },
    };
  }
}
