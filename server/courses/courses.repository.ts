import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { ParsedManifest, PackageProblem, ScormVersion, ScoDefinition } from './manifest/manifest.types.js';
import { translateSqliteError } from '../db/sqlite-errors.js';

export type CourseStatus = 'draft' | 'published' | 'retired';

export interface Course {
  id: number; code: string; title: string; description: string; validityMonths: number; passMark: number | null;
  attemptsLimit: number | null; completionRule: 'rollup' | 'all_scos'; countedAttempt: 'last' | 'highest';
  status: CourseStatus; publishedVersionId: number | null; latestVersionNumber: number | null; createdAt: string; updatedAt: string;
}

export interface CourseVersion {
  id: number; courseId: number; number: number; scormVersion: ScormVersion; title: string; sha256: string;
  sizeBytes: number; storageDir: string; uploadedBy: number | null; uploadedAt: string; problems: PackageProblem[];
}

export interface Sco {
  id: number; versionId: number; identifier: string; title: string; href: string; parameters: string | null;
  masteryScore: number | null; scaledPassingScore: number | null; maxTimeAllowed: string | null; timeLimitAction: string | null;
  launchData: string | null; completionThreshold: number | null; objectives: ScoDefinition['objectives']; dataMaps: ScoDefinition['dataMaps'];
  position: number;
}

export interface CourseMetadata {
  title: string; description: string; validityMonths: number; passMark: number | null; attemptsLimit: number | null;
  completionRule: 'rollup' | 'all_scos'; countedAttempt: 'last' | 'highest';
}

export interface NewVersion {
  code: string; manifest: ParsedManifest; problems: PackageProblem[]; sha256: string; sizeBytes: number; storageDir: string; uploadedBy: number | null;
}

export const COURSE_SELECT = `SELECT c.*, (SELECT MAX(number) FROM course_versions v WHERE v.course_id = c.id) AS latest_version FROM courses c`;

export class CoursesRepository {
  private readonly stmts;

  constructor(private readonly deps: { db: Db; audit: AuditRepository; now: () => Date }) {
    const { db } = deps;
    this.stmts = {
      byCode: db.prepare(`${COURSE_SELECT} WHERE c.code = ?`),
      byId: db.prepare(`${COURSE_SELECT} WHERE c.id = ?`),
      list: db.prepare(`${COURSE_SELECT} WHERE (@status IS NULL OR c.status = @status) ORDER BY c.code`),
      insertCourse: db.prepare(`INSERT INTO courses (code, title, created_at, updated_at) VALUES (?, ?, ?, ?)`),
      nextNumber: db.prepare('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM course_versions WHERE course_id = ?'),
      insertVersion: db.prepare(`INSERT INTO course_versions (course_id, number, scorm_version, title, manifest_json, problems_json,
        sha256, size_bytes, storage_dir, uploaded_by, uploaded_at) VALUES (@courseId, @number, @scormVersion, @title, @manifestJson,
        @problemsJson, @sha256, @sizeBytes, @storageDir, @uploadedBy, @uploadedAt)`),
      insertSco: db.prepare(`INSERT INTO scos (version_id, identifier, title, href, parameters, mastery_score, scaled_passing_score,
        max_time_allowed, time_limit_action, launch_data, completion_threshold, objectives_json, data_json, position)
        VALUES (@versionId, @identifier, @title, @href, @parameters, @masteryScore, @scaledPassingScore, @maxTimeAllowed,
        @timeLimitAction, @launchData, @completionThreshold, @objectivesJson, @dataJson, @position)`),
      versions: db.prepare(`SELECT id, course_id, number, scorm_version, title, sha256, size_bytes, storage_dir, uploaded_by, uploaded_at, problems_json
        FROM course_versions WHERE course_id = ? ORDER BY number DESC`),
      version: db.prepare(`SELECT id, course_id, number, scorm_version, title, sha256, size_bytes, storage_dir, uploaded_by, uploaded_at, problems_json
        FROM course_versions WHERE id = ?`),
      manifest: db.prepare('SELECT manifest_json FROM course_versions WHERE id = ?'),
      scos: db.prepare('SELECT * FROM scos WHERE version_id = ? ORDER BY position'),
      updateMetadata: db.prepare(`UPDATE courses SET title = @title, description = @description, validity_months = @validityMonths,
        pass_mark = @passMark, attempts_limit = @attemptsLimit, completion_rule = @completionRule, counted_attempt = @countedAttempt,
        updated_at = @now WHERE id = @id`),
      setStatus: db.prepare('UPDATE courses SET status = @status, published_version_id = @versionId, updated_at = @now WHERE id = @id'),
    };
  }

  async findByCode(code: string): Promise<Course | null> { return toCourse(this.stmts.byCode.get(code) as CourseRow | undefined); }
  async findById(id: number): Promise<Course | null> { return toCourse(this.stmts.byId.get(id) as CourseRow | undefined); }
  async list(status?: CourseStatus): Promise<Course[]> { return (this.stmts.list.all({ status: status ?? null }) as CourseRow[]).map((r) => toCourse(r)!); }
  async listVersions(courseId: number): Promise<CourseVersion[]> { return (this.stmts.versions.all(courseId) as VersionRow[]).map(toVersion); }
  async findVersion(id: number): Promise<CourseVersion | null> {
    const row = this.stmts.version.get(id) as VersionRow | undefined;
    return row ? toVersion(row) : null;
  }
  async getManifest(versionId: number): Promise<ParsedManifest | null> {
    const row = this.stmts.manifest.get(versionId) as { manifest_json: string } | undefined;
    return row ? (JSON.parse(row.manifest_json) as ParsedManifest) : null;
  }
  async listScos(versionId: number): Promise<Sco[]> { return (this.stmts.scos.all(versionId) as ScoRow[]).map(toSco); }

  /** Creates the course on first upload, then version number+1 with its SCOs; one transaction, audited. */
  async addVersion(input: NewVersion, actor: { actorId: number | null }): Promise<{ course: Course; version: CourseVersion; scos: Sco[] }> {
    const { db, audit, now } = this.deps;
    const at = now().toISOString();
    const run = db.transaction(() => {
      let course = this.stmts.byCode.get(input.code) as CourseRow | undefined;
      if (!course) {
        const info = this.stmts.insertCourse.run(input.code, input.manifest.title, at, at);
        course = this.stmts.byId.get(Number(info.lastInsertRowid)) as CourseRow;
      }
      const number = (this.stmts.nextNumber.get(course.id) as { n: number }).n;
      const info = this.stmts.insertVersion.run({
        courseId: course.id, number, scormVersion: input.manifest.scormVersion, title: input.manifest.title,
        manifestJson: JSON.stringify(input.manifest), problemsJson: JSON.stringify(input.problems), sha256: input.sha256,
        sizeBytes: input.sizeBytes, storageDir: input.storageDir, uploadedBy: input.uploadedBy, uploadedAt: at,
      });
      const versionId = Number(info.lastInsertRowid);
      for (const sco of input.manifest.scos) {
        this.stmts.insertSco.run({
          versionId, identifier: sco.identifier, title: sco.title, href: sco.href, parameters: sco.parameters,
          masteryScore: sco.masteryScore, scaledPassingScore: sco.scaledPassingScore, maxTimeAllowed: sco.maxTimeAllowed,
          timeLimitAction: sco.timeLimitAction, launchData: sco.launchData, completionThreshold: sco.completionThreshold,
          objectivesJson: JSON.stringify(sco.objectives), dataJson: JSON.stringify(sco.dataMaps), position: sco.position,
        });
      }
      audit.appendInTransaction({ actorId: actor.actorId, action: 'course.upload', subject: `course:${course.id}`,
        details: { code: input.code, versionId, number, sha256: input.sha256, scormVersion: input.manifest.scormVersion, scos: input.manifest.scos.length } });
      return { courseId: course.id, versionId };
    });
    try {
      const ids = run.immediate();
      return { course: (await this.findById(ids.courseId))!, version: (await this.findVersion(ids.versionId))!, scos: await this.listScos(ids.versionId) };
    } catch (error) {
      throw translateSqliteError(error, { code: 'code' });
    }
  }

  async updateMetadata(courseId: number, metadata: CourseMetadata, actor: { actorId: number | null }): Promise<Course> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      const before = toCourse(this.stmts.byId.get(courseId) as CourseRow | undefined);
      this.stmts.updateMetadata.run({ ...metadata, id: courseId, now: now().toISOString() });
      audit.appendInTransaction({ actorId: actor.actorId, action: 'course.update', subject: `course:${courseId}`, details: { before, after: metadata } });
    })();
    return (await this.findById(courseId))!;
  }

  async setStatus(courseId: number, status: CourseStatus, versionId: number | null, actor: { actorId: number | null }): Promise<Course> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      this.stmts.setStatus.run({ id: courseId, status, versionId, now: now().toISOString() });
      audit.appendInTransaction({ actorId: actor.actorId, action: status === 'published' ? 'course.publish' : status === 'retired' ? 'course.retire' : 'course.draft', subject: `course:${courseId}`, details: { versionId } });
    })();
    return (await this.findById(courseId))!;
  }
}

export interface CourseRow {
  id: number; code: string; title: string; description: string; validity_months: number; pass_mark: number | null;
  attempts_limit: number | null; completion_rule: 'rollup' | 'all_scos'; counted_attempt: 'last' | 'highest'; status: CourseStatus;
  published_version_id: number | null; latest_version: number | null; created_at: string; updated_at: string;
}
export interface VersionRow {
  id: number; course_id: number; number: number; scorm_version: ScormVersion; title: string; sha256: string; size_bytes: number;
  storage_dir: string; uploaded_by: number | null; uploaded_at: string; problems_json: string;
}
export interface ScoRow {
  id: number; version_id: number; identifier: string; title: string; href: string; parameters: string | null; mastery_score: number | null;
  scaled_passing_score: number | null; max_time_allowed: string | null; time_limit_action: string | null; launch_data: string | null;
  completion_threshold: number | null; objectives_json: string; data_json: string; position: number;
}

export function toCourse(row: CourseRow | undefined): Course | null {
  if (!row) return null;
  return {
    id: row.id, code: row.code, title: row.title, description: row.description, validityMonths: row.validity_months, passMark: row.pass_mark,
    attemptsLimit: row.attempts_limit, completionRule: row.completion_rule, countedAttempt: row.counted_attempt, status: row.status,
    publishedVersionId: row.published_version_id, latestVersionNumber: row.latest_version, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
export function toVersion(row: VersionRow): CourseVersion {
  return {
    id: row.id, courseId: row.course_id, number: row.number, scormVersion: row.scorm_version, title: row.title, sha256: row.sha256,
    sizeBytes: row.size_bytes, storageDir: row.storage_dir, uploadedBy: row.uploaded_by, uploadedAt: row.uploaded_at,
    problems: JSON.parse(row.problems_json) as PackageProblem[],
  };
}
export function toSco(row: ScoRow): Sco {
  return {
    id: row.id, versionId: row.version_id, identifier: row.identifier, title: row.title, href: row.href, parameters: row.parameters,
    masteryScore: row.mastery_score, scaledPassingScore: row.scaled_passing_score, maxTimeAllowed: row.max_time_allowed,
    timeLimitAction: row.time_limit_action, launchData: row.launch_data, completionThreshold: row.completion_threshold,
    objectives: JSON.parse(row.objectives_json) as Sco['objectives'], dataMaps: JSON.parse(row.data_json) as Sco['dataMaps'], position: row.position,
  };
}

/** The interface services use; the SQLite class above and a PostgreSQL twin implement it. */
export type CoursesStore = PublicOf<CoursesRepository>;
