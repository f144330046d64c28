/** A SCORM scaled score (0–1) as the percent people read (0–100, one decimal); null stays null. */
export function scorePercent(scaled: number | null): number | null {
  return scaled === null ? null : Math.round(scaled * 1000) / 10;
}
