import type { Db } from './open-database.js';
import { GroupCommit } from './group-commit.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { BranchesRepository } from '../org/branches.repository.js';
import { UsersRepository } from '../org/users.repository.js';
import { ApiTokensRepository } from '../auth/api-tokens.repository.js';
import { UserSessionsRepository } from '../auth/user-sessions.repository.js';
import { PasswordTokensRepository } from '../auth/invitations/password-tokens.repository.js';
import { CoursesRepository } from '../courses/courses.repository.js';
import { RuntimeRepository } from '../scorm/runtime.repository.js';
import { BanksRepository } from '../exams/banks.repository.js';
import { ExamsRepository } from '../exams/exams.repository.js';
import { CertificationRepository } from '../certification/certification.repository.js';
import { ReportsRepository } from '../reports/reports.repository.js';
import { RosterRepository } from '../org/roster/roster.repository.js';
import { NotifyRepository } from '../notify/notify.repository.js';
import { CourseAggregatesRepository } from '../reports/course-aggregates.repository.js';
import { InsightsRepository } from '../courses/insights.repository.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { StatusTalliesRepository } from '../reports/status-tallies.repository.js';
import { PeopleRepository } from '../people/people.repository.js';
import { LearnerSearchRepository } from '../courses/learner-search.repository.js';
import { LearnerRemindersRepository } from '../courses/learner-reminders.repository.js';
import type { Repositories } from './repositories.js';

/** The SQLite bundle: the store interfaces, plus the concrete classes whose synchronous reads the summary worker's snapshots use. */
export interface SqliteRepositories extends Repositories {
  reports: ReportsRepository;
  statusTallies: StatusTalliesRepository;
  groupCommit: GroupCommit;
}

/** Every repository on the SQLite file (the embedded default). */
/** `afterFlush`: called after each group transaction (the WAL checkpointer's nudge, container.ts). */
export function sqliteRepositories(db: Db, now: () => Date, afterFlush?: () => void): SqliteRepositories {
  const audit = new AuditRepository({ db, now });
  // Learners' commits (and exam answers) arriving together share one transaction and one fsync.
  const groupCommit = new GroupCommit(db, afterFlush);
  return {
    audit,
    branches: new BranchesRepository({ db, audit, now }),
    users: new UsersRepository({ db, audit, now }),
    apiTokens: new ApiTokensRepository({ db, audit, now }),
    userSessions: new UserSessionsRepository({ db, audit }),
    passwordTokens: new PasswordTokensRepository({ db, audit, now }),
    courses: new CoursesRepository({ db, audit, now }),
    runtime: new RuntimeRepository({ db, audit, now, groupCommit }),
    banks: new BanksRepository({ db, audit, now }),
    exams: new ExamsRepository({ db, audit, now, groupCommit }),
    certification: new CertificationRepository({ db, audit, now }),
    reports: new ReportsRepository({ db }),
    roster: new RosterRepository({ db }),
    notify: new NotifyRepository({ db }),
    courseAggregates: new CourseAggregatesRepository({ db }),
    insights: new InsightsRepository({ db }),
    evidence: new EvidenceRepository({ db }),
    statusTallies: new StatusTalliesRepository({ db }),
    people: new PeopleRepository({ db }),
    learnerSearch: new LearnerSearchRepository({ db }),
    learnerReminders: new LearnerRemindersRepository({ db, audit }),
    groupCommit,
  };
}
