import type { AuditStore } from '../audit/audit.repository.js';
import type { BranchesStore } from '../org/branches.repository.js';
import type { UsersStore } from '../org/users.repository.js';
import type { ApiTokensStore } from '../auth/api-tokens.repository.js';
import type { UserSessionsStore } from '../auth/user-sessions.repository.js';
import type { PasswordTokensStore } from '../auth/invitations/password-tokens.repository.js';
import type { CoursesStore } from '../courses/courses.repository.js';
import type { RuntimeStore } from '../scorm/runtime.repository.js';
import type { BanksStore } from '../exams/banks.repository.js';
import type { ExamsStore } from '../exams/exams.repository.js';
import type { CertificationStore } from '../certification/certification.repository.js';
import type { ReportsStore } from '../reports/reports.repository.js';
import type { RosterStore } from '../org/roster/roster.repository.js';
import type { NotifyStore } from '../notify/notify.repository.js';
import type { CourseAggregatesStore } from '../reports/course-aggregates.repository.js';
import type { InsightsStore } from '../courses/insights.repository.js';
import type { EvidenceStore } from '../evidence/evidence.repository.js';
import type { StatusTalliesStore } from '../reports/status-tallies.repository.js';
import type { PeopleStore } from '../people/people.repository.js';
import type { LearnerSearchStore } from '../courses/learner-search.repository.js';
import type { LearnerRemindersStore } from '../courses/learner-reminders.repository.js';

/** Every repository the services use, by interface: built on SQLite (sqlite-repositories.ts) or PostgreSQL (postgres/pg-repositories.ts). */
export interface Repositories {
  audit: AuditStore;
  branches: BranchesStore;
  users: UsersStore;
  apiTokens: ApiTokensStore;
  userSessions: UserSessionsStore;
  passwordTokens: PasswordTokensStore;
  courses: CoursesStore;
  runtime: RuntimeStore;
  banks: BanksStore;
  exams: ExamsStore;
  certification: CertificationStore;
  reports: ReportsStore;
  roster: RosterStore;
  notify: NotifyStore;
  courseAggregates: CourseAggregatesStore;
  insights: InsightsStore;
  evidence: EvidenceStore;
  statusTallies: StatusTalliesStore;
  people: PeopleStore;
  learnerSearch: LearnerSearchStore;
  learnerReminders: LearnerRemindersStore;
}
