// Sizes the server accepts. Each is a deliberate choice; see the comments.

/**
 * Highest number of entries per collection. The SCORM 2004 SPMs are minimums (250 interactions,
 * 100 objectives, 10 interaction objectives); real quizzes stay far below these caps, while an index
 * such as 999999999 is refused instead of allocating or storing a sparse record.
 */
export const COLLECTION_LIMITS: Readonly<Record<string, number>> = {
  'cmi.interactions': 1000,
  'cmi.objectives': 250,
  'cmi.interactions.n.objectives': 50,
  'cmi.interactions.n.correct_responses': 50,
  'cmi.comments_from_learner': 250,
  'cmi.comments_from_lms': 250,
  'adl.data': 250,
};

/**
 * String caps in UTF-16 code units (String.length). That is what scorm-again's own checks count,
 * so a CJK character counts as one character, never as its 3 UTF-8 bytes, and any value accepted
 * here is also accepted when it is preloaded into scorm-again at the next launch.
 */
export const STRING_LIMITS = {
  /** cmi.suspend_data and adl.data.n.store, both versions (1.2's spec says 4096; content needs more). */
  suspendData: 64000,
  location12: 255,
  location2004: 1000,
  comments12: 4096,
  commentFromLearner2004: 4000,
  commentLocation2004: 250,
  description2004: 250,
  identifier12: 255,
  longIdentifier2004: 4000,
  shortIdentifier: 250,
  /** learner responses and correct-response patterns, both versions */
  response: 4000,
  language12: 255,
} as const;

/** Limits on the shape of a commit body before any element is looked at. */
export const BODY_LIMITS = {
  /** Deepest legal element is cmi.interactions.n.correct_responses.n.pattern (6 segments). */
  maxDepth: 8,
  /**
   * Every entry costs a few microseconds of validation on the shared event loop, and a commit must
   * stay within 50 ms at the body limit: 5,000 holds the SCORM 2004 minimums (250 interactions of
   * ~12 fields, 100 objectives) with room to spare; scorm-again resends only what it holds.
   */
  maxEntries: 5000,
  /** Longest legal element name is well under 100 characters. */
  maxElementLength: 200,
} as const;
