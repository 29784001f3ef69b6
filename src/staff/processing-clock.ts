import type { WorkingDayCalendar } from '../calendar/working-days';
import { isDecided, type Status } from '../submissions/status';

export type ClockView = Readonly<{ text: string; overdue: boolean }>;

/** What the queue and the case page say about time against the target, in working days. */
export function processingClock(
  c: Readonly<{ status: Status; dueDate: string | null }>,
  today: string,
  calendar: WorkingDayCalendar,
): ClockView {
  if (isDecided(c.status)) return { text: 'Decided', overdue: false };
  if (c.status === 'awaiting-citizen')
    return { text: 'Paused while waiting for the citizen', overdue: false };
  if (!c.dueDate) return { text: 'No target', overdue: false };
  const left = calendar.workingDaysBetween(today, c.dueDate);
  if (left > 0) return { text: `${left} working ${left === 1 ? 'day' : 'days'} left`, overdue: false };
  if (left === 0) return { text: 'Due today', overdue: false };
  return { text: `${-left} working ${left === -1 ? 'day' : 'days'} overdue`, overdue: true };
}
