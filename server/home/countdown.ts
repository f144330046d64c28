/** Days to a deadline (a due date once missed: days overdue) as words: the i18n key under `learner.countdown` and its count. Pure. */
export function countdown(daysLeft: number | null): { key: string; count: number } | null {
  if (daysLeft === null) return null;
  if (daysLeft === 0) return { key: 'learner.countdown.today', count: 0 };
  if (daysLeft > 0) return { key: daysLeft === 1 ? 'learner.countdown.oneDayLeft' : 'learner.countdown.daysLeft', count: daysLeft };
  return { key: daysLeft === -1 ? 'learner.countdown.oneDayOverdue' : 'learner.countdown.daysOverdue', count: -daysLeft };
}
