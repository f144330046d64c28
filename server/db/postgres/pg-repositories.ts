import type { PgPool } from './pool.js';
import type { Repositories } from '../repositories.js';
import { PgAuditRepository } from '../../audit/audit.pg-repository.js';
import { PgBranchesRepository } from '../../org/branches.pg-repository.js';
import { PgUsersRepository } from '../../org/users.pg-repository.js';
import { PgApiTokensRepository } from '../../auth/api-tokens.pg-repository.js';
import { PgUserSessionsRepository } from '../../auth/user-sessions.pg-repository.js';
import { PgCertificationRepository } from '../../certification/certification.pg-repository.js';
import { PgCoursesRepository } from '../../courses/courses.pg-repository.js';
import { PgRuntimeRepository } from '../../scorm/runtime.pg-repository.js';
import { PgExamsRepository } from '../../exams/exams.pg-repository.js';
import { PgReportsRepository } from '../../reports/reports.pg-repository.js';
import { PgSnapshotReads, PgStatusTalliesRepository } from '../../reports/status-tallies.pg-repository.js';
import { PgPeopleRepository } from '../../people/people.pg-repository.js';
import { PgLearnerSearchRepository } from '../../courses/learner-search.pg-repository.js';
import { PgLearnerRemindersRepository } from '../../courses/learner-reminders.pg-repository.js';
import { PgPasswordTokensRepository } from '../../auth/invitations/password-tokens.pg-repository.js';
import { PgBanksRepository } from '../../exams/banks.pg-repository.js';
import { PgRosterRepository } from '../../org/roster/roster.pg-repository.js';
import { PgNotifyRepository } from '../../notify/notify.pg-repository.js';
import { PgCourseAggregatesRepository } from '../../reports/course-aggregates.pg-repository.js';
import { PgInsightsRepository } from '../../courses/insights.pg-repository.js';
import { PgEvidenceRepository } from '../../evidence/evidence.pg-repository.js';

/** The PostgreSQL bundle: the store interfaces, plus the dashboard snapshot's reads. */
export interface PgRepositories extends Repositories {
  snapshots: PgSnapshotReads;
}

/** Every repository on a PostgreSQL pool shared by the nodes; audit appends join each change's transaction. */
export function pgRepositories(pool: PgPool, now: () => Date): PgRepositories {
  const audit = new PgAuditRepository({ pool, now });
  return {
    audit,
    branches: new PgBranchesRepository({ pool, audit, now }),
    users: new PgUsersRepository({ pool, audit, now }),
    apiTokens: new PgApiTokensRepository({ pool, audit, now }),
    userSessions: new PgUserSessionsRepository({ pool, audit }),
    passwordTokens: new PgPasswordTokensRepository({ pool, audit, now }),
    certification: new PgCertificationRepository({ pool, audit, now }),
    courses: new PgCoursesRepository({ pool, audit, now }),
    runtime: new PgRuntimeRepository({ pool, audit, now }),
    exams: new PgExamsRepository({ pool, audit, now }),
    banks: new PgBanksRepository({ pool, audit, now }),
    reports: new PgReportsRepository({ pool }),
    statusTallies: new PgStatusTalliesRepository({ pool }),
    snapshots: new PgSnapshotReads({ pool }),
    people: new PgPeopleRepository({ pool }),
    learnerSearch: new PgLearnerSearchRepository({ pool }),
    learnerReminders: new PgLearnerRemindersRepository({ pool, audit }),
    roster: new PgRosterRepository({ pool }),
    notify: new PgNotifyRepository({ pool }),
    courseAggregates: new PgCourseAggregatesRepository({ pool }),
    insights: new PgInsightsRepository({ pool }),
    evidence: new PgEvidenceRepository({ pool }),
  };
}
