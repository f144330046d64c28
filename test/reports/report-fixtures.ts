/**
 * Certification records written straight into the tables the reports read (the certification
 * service that normally writes them is built elsewhere): courses with a version, assigned
 * enrollments, attempts and certificates.
 */
import type { LmsApp } from '../../server/app.js';

export function addCourse(app: LmsApp, code: string, title: string): number {
  const { db } = app.lms;
  const at = '2025-01-01T00:00:00.000Z';
  const courseId = Number(db.prepare(`INSERT INTO courses (code, title, status, created_at, updated_at) VALUES (?, ?, 'published', ?, ?)`)
    .run(code, title, at, at).lastInsertRowid);
  db.prepare(`INSERT INTO course_versions (course_id, number, scorm_version, title, manifest_json, sha256, size_bytes, storage_dir, uploaded_at)
    VALUES (?, 1, '1.2', ?, '{}', '', 0, '', ?)`).run(courseId, title, at);
  return courseId;
}

export function assign(app: LmsApp, userId: number, courseId: number, dueAt: string | null, assignedAt = '2026-01-05T02:00:00.000Z', source = 'assignment'): number {
  return Number(app.lms.db.prepare(`INSERT INTO enrollments (user_id, course_id, due_at, assigned_at, source) VALUES (?, ?, ?, ?, ?)`)
    .run(userId, courseId, dueAt, assignedAt, source).lastInsertRowid);
}

export function addAttempt(app: LmsApp, enrollmentId: number, attempt: {
  startedAt: string; finishedAt: string | null; completion: string; success: string; scoreScaled?: number | null;
}): void {
  const { db } = app.lms;
  const { course_id: courseId } = db.prepare('SELECT course_id FROM enrollments WHERE id = ?').get(enrollmentId) as { course_id: number };
  const version = db.prepare('SELECT id FROM course_versions WHERE course_id = ?').get(courseId) as { id: number };
  const number = (db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE enrollment_id = ?').get(enrollmentId) as { n: number }).n + 1;
  db.prepare(`INSERT INTO attempts (enrollment_id, version_id, number, started_at, finished_at, completion_status, success_status, score_scaled)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(enrollmentId, version.id, number, attempt.startedAt, attempt.finishedAt, attempt.completion, attempt.success, attempt.scoreScaled ?? null);
}

export function addCertificate(app: LmsApp, cert: {
  serial: string; userId: number; courseId: number; issuedAt: string; expiresAt: string; score?: number; revokedAt?: string | null;
}): void {
  app.lms.db.prepare(`INSERT INTO certificates (serial, user_id, course_id, score, issued_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(cert.serial, cert.userId, cert.courseId, cert.score ?? 90, cert.issuedAt, cert.expiresAt, cert.revokedAt ?? null);
}

export interface AuditRow { actor_id: number | null; action: string; subject: string; details: Record<string, unknown> }

export function exportAudits(app: LmsApp): AuditRow[] {
  return (app.lms.db.prepare(`SELECT actor_id, action, subject, details_json FROM audit_events WHERE action = 'report.export' ORDER BY id`).all() as Array<{
    actor_id: number | null; action: string; subject: string; details_json: string;
  }>).map((r) => ({ actor_id: r.actor_id, action: r.action, subject: r.subject, details: JSON.parse(r.details_json) as Record<string, unknown> }));
}
