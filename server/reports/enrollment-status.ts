/**
 * From the facts the repository streams to a certification status and an export row. Pure.
 * One enrollment arrives as one tuple per certificate (at least one tuple, certificate columns
 * null when there is none); the attempt columns repeat on each and hold the newest attempt
 * started by the as-of instant — the only attempt the status rules look at — and, for a course
 * with an enabled exam, its newest exam attempt likewise.
 */
import { dayNumberOfLocalDate, localDateOfDayNumber, localDayNumber, parseInstant, startOfDayNumber } from '../certification/calendar.js';
import {
  computeCertificationStatus,
  type AttemptFacts,
  type CertificateFacts,
  type CertificationPolicy,
  type CertificationStatusResult,
} from '../certification/status-rules.js';
import type { ReportCell } from './export-columns.js';
import { FACT, type CertificationFacts, type ReportBranch, type ReportCourse, type StaffMember } from './reports.repository.js';
import { scorePercent } from '../certification/score.js';

export interface CertificateOnRecord extends CertificateFacts { serial: string; score: number | null; issuedAt: string }
export interface AttemptOnRecord extends AttemptFacts {
  score: number | null;
  /** For the export: the attempt's number, its package tries, and learning time (SCORM's and measured). */
  number: number | null; triesCount: number | null; scormSeconds: number | null; measuredSeconds: number | null;
}

export type EnrollmentStatus = CertificationStatusResult<CertificateOnRecord, AttemptOnRecord>;

const NO_CERTIFICATES: readonly CertificateOnRecord[] = Object.freeze([]);
const NO_ATTEMPTS: readonly AttemptOnRecord[] = Object.freeze([]);

/** `tuples` are the consecutive tuples of one enrollment. */
export function statusOfEnrollment(tuples: readonly CertificationFacts[], hasLeft: boolean, asOf: Date, policy: CertificationPolicy): EnrollmentStatus {
  const first = tuples[0];
  let certificates = NO_CERTIFICATES;
  if (first[FACT.serial] !== null) {
    certificates = tuples.map((t) => ({
      serial: t[FACT.serial]!, score: t[FACT.certificateScore], issuedAt: t[FACT.issuedAt]!,
      expiresAt: dayAsInstant(t[FACT.expiresAt], policy.timeZone), revokedAt: t[FACT.revokedAt],
    }));
  }
  const startedAt = first[FACT.startedAt];
  const attempts = startedAt === null ? NO_ATTEMPTS : [{
    startedAt, finishedAt: first[FACT.finishedAt], completionStatus: first[FACT.completionStatus],
    successStatus: first[FACT.successStatus], score: first[FACT.scoreScaled], number: first[FACT.attemptNumber],
    triesCount: first[FACT.triesCount], scormSeconds: first[FACT.scormSeconds], measuredSeconds: first[FACT.measuredSeconds],
  }];
  const dueAt = first[FACT.dueAt];
  const examStartedAt = first[FACT.examStartedAt];
  const exam = first[FACT.examEnabled] === null ? null : {
    attempts: examStartedAt === null ? [] : [{
      startedAt: examStartedAt, submittedAt: first[FACT.examSubmittedAt],
      passed: first[FACT.examPassed] === null ? null : first[FACT.examPassed] === 1,
    }],
  };
  return computeCertificationStatus({
    enrollment: { assignedAt: sharedInstant(first[FACT.assignedAt], policy.timeZone), dueAt: dueAt === null ? null : sharedInstant(dueAt, policy.timeZone) },
    certificates, attempts, exam, userStatus: hasLeft ? 'left' : 'active',
  }, asOf, policy);
}

/** The leading CERTIFICATION_COLUMNS cells: who, where, which course. */
export function certificationLeadCells(branch: ReportBranch, person: StaffMember, course: ReportCourse): ReportCell[] {
  return [branch.code, branch.name, person.employeeNo, person.name, person.position, course.code, course.title];
}

/**
 * The remaining CERTIFICATION_COLUMNS cells.
 *   score         the certificate's score (0–100) when the status is about a certificate, else the
 *                 newest finished attempt's scaled score × 100
 *   completed_at  the local date that certificate was earned, else empty
 *   expires_at    its local expiry date; due_at the enrollment's local due date
 *   attempts      the newest attempt's number; tries its package tries (each decision a try);
 *   learning_seconds_measured / learning_seconds_scorm  that attempt's learning time as the LMS
 *                 measured it (idle gaps cut) and as the course reported it (cmi total_time)
 */
export function certificationStatusCells(dueAt: string | null, result: EnrollmentStatus, timeZone: string): ReportCell[] {
  const certificate = result.certificate;
  const attempt = result.lastAttempt;
  const score = certificate ? certificate.score
    : attempt && attempt.finishedAt !== null ? scorePercent(attempt.score) : null;
  return [
    result.status, score, certificate ? localDate(certificate.issuedAt, timeZone) : null, result.expiryDate,
    dueAt === null ? null : localDate(dueAt, timeZone), certificate ? certificate.serial : null,
    attempt?.number ?? null, attempt ? Math.max(attempt.triesCount ?? 0, 0) : null,
    attempt ? Math.round(attempt.measuredSeconds ?? 0) : null, attempt ? Math.round(attempt.scormSeconds ?? 0) : null,
  ];
}

/** 'YYYY-MM-DD' of a stored deadline: a bare date is already local. */
export function localDate(value: string, timeZone: string): string {
  if (value.length === 10) return value;
  return localDateOfDayNumber(localDayNumber(parseInstant(value), timeZone));
}

// Assignment and due dates repeat across thousands of enrollments (one assignment writes the same
// values for everyone it covers): each distinct text is read once. A bare local date becomes the
// first instant of that day, which the status rules read exactly as they read the date itself.
const sharedInstants = new Map<string, Map<string, Date>>();
const MAX_REMEMBERED = 20_000;

function sharedInstant(value: string, timeZone: string): Date {
  let known = sharedInstants.get(timeZone);
  if (!known) sharedInstants.set(timeZone, (known = new Map()));
  let instant = known.get(value);
  if (instant === undefined) {
    instant = new Date(value.length === 10 ? startOfDayNumber(dayNumberOfLocalDate(value), timeZone) : parseInstant(value));
    if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a date: ${value}`);
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(value, instant);
  }
  return instant;
}

/** Bare local dates only: other certificate timestamps are all different. */
function dayAsInstant(value: string | null, timeZone: string): string | Date | null {
  return value === null || value.length !== 10 ? value : sharedInstant(value, timeZone);
}
