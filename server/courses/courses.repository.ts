import type { PublicOf } from '../db/store.js';
import type { Db } from '../db/open-database.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { ParsedManifest, PackageProblem, ScormVersion, ScoDefinition } from './manifest/manifest.types.js';
import { translateSqliteError } from '../db/sqlite-errors.js';
import { ConflictError } from '../errors.js';

export type CourseStatus = 'draft' | 'published' | 'retired';

export interface Course {
  id: number; code: string; title: string; titleEn: string | null; description: string; validityMonths: number; passMark: number | null;
  attemptsLimit: number | null; completionRule: 'rollup' | 'all_scos'; countedAttempt: 'last' | 'highest';
  status: CourseStatus; publishedVersionId: number | null; latestVersionNumber: number | null; createdAt: string; updatedAt: string;
  /** English description for en readers; null: none (the Chinese one is shown). titleEn is above. */
  descriptionEn: string | null;
  /** The manifest identifier of the latest upload: a re-upload without a code finds its course by it. */
  packageIdentifier: string | null;
}

export interface CourseEnglishText { titleEn: string | null; descriptionEn: string | null }

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
  /** A new code keeps the old one as an alias (old links still open the course). */
  code: string; title: string; titleEn: string | null; description: string; validityMonths: number; passMark: number | null; attemptsLimit: number | null;
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
      byAlias: db.prepare(`${COURSE_SELECT} WHERE c.id = (SELECT course_id FROM course_code_aliases WHERE code = ?)`),
      byPackageIdentifier: db.prepare(`${COURSE_SELECT} WHERE c.package_identifier = ? ORDER BY c.id DESC LIMIT 1`),
      // Courses are tens to hundreds, never employees-scale: the whole list is small.
      takenCodes: db.prepare('SELECT code FROM courses UNION ALL SELECT code FROM course_code_aliases'),
      codeHolder: db.prepare(`SELECT id AS course_id FROM courses WHERE lower(code) = lower(@code) AND id <> @id
        UNION ALL SELECT course_id FROM course_code_aliases WHERE lower(code) = lower(@code) AND course_id <> @id LIMIT 1`),
      insertAlias: db.prepare('INSERT OR IGNORE INTO course_code_aliases (code, course_id, created_at) VALUES (?, ?, ?)'),
      deleteAlias: db.prepare('DELETE FROM course_code_aliases WHERE lower(code) = lower(?) AND course_id = ?'),
      formerCodes: db.prepare('SELECT code FROM course_code_aliases WHERE course_id = ? ORDER BY created_at, code'),
      setPackageIdentifier: db.prepare('UPDATE courses SET package_identifier = ? WHERE id = ?'),
      byId: db.prepare(`${COURSE_SELECT} WHERE c.id = ?`),
      list: db.prepare(`${COURSE_SELECT} WHERE (@status IS NULL OR c.status = @status) ORDER BY c.code`),
      englishTitles: db.prepare("SELECT code, title_en FROM courses WHERE title_en IS NOT NULL AND title_en <> ''"),
      insertCourse: db.prepare(`INSERT INTO courses (code, title, package_identifier, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
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
      updateMetadata: db.prepare(`UPDATE courses SET code = @code, title = @title, title_en = @titleEn, description = @description, validity_months = @validityMonths,
        pass_mark = @passMark, attempts_limit = @attemptsLimit, completion_rule = @completionRule, counted_attempt = @countedAttempt,
        updated_at = @now WHERE id = @id`),
      setEnglishText: db.prepare('UPDATE courses SET title_en = @titleEn, description_en = @descriptionEn, updated_at = @now WHERE id = @id'),
      setStatus: db.prepare('UPDATE courses SET status = @status, published_version_id = @versionId, updated_at = @now WHERE id = @id'),
    };
  }

  /** By the current code, or by a code the course had before (old links keep working). */
  async findByCode(code: string): Promise<Course | null> { return toCourse(this.courseRowByCode(code)); }
  async findByPackageIdentifier(identifier: string): Promise<Course | null> {
    return toCourse(this.stmts.byPackageIdentifier.get(identifier) as CourseRow | undefined);
  }
  /** Every code in use, current or former: a new course may take none of them. */
  async listTakenCodes(): Promise<string[]> { return (this.stmts.takenCodes.all() as Array<{ code: string }>).map((r) => r.code); }

  async listFormerCodes(courseId: number): Promise<string[]> {
    return (this.stmts.formerCodes.all(courseId) as Array<{ code: string }>).map((r) => r.code);
  }

  private courseRowByCode(code: string): CourseRow | undefined {
    return (this.stmts.byCode.get(code) ?? this.stmts.byAlias.get(code)) as CourseRow | undefined;
  }
  async findById(id: number): Promise<Course | null> { return toCourse(this.stmts.byId.get(id) as CourseRow | undefined); }
  async list(status?: CourseStatus): Promise<Course[]> { return (this.stmts.list.all({ status: status ?? null }) as CourseRow[]).map((r) => toCourse(r)!); }
  /** Every course's English title where it has one (the courses table is small: one row per course). */
  async listEnglishTitles(): Promise<Array<{ code: string; titleEn: string }>> {
    return (this.stmts.englishTitles.all() as Array<{ code: string; title_en: string }>).map((r) => ({ code: r.code, titleEn: r.title_en }));
  }
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
      let course = this.courseRowByCode(input.code);
      if (!course && this.stmts.codeHolder.get({ code: input.code, id: -1 })) {
        // "cp-101" beside CP-101: one code differing only in case would confuse people.
        throw new ConflictError(`Course code ${input.code} is already used`, [{ code: 'COURSE_CODE_TAKEN', message: 'Another course has or had this code', path: 'code' }], 'COURSE_CODE_TAKEN');
      }
      if (!course) {
        const info = this.stmts.insertCourse.run(input.code, input.manifest.title, input.manifest.identifier, at, at);
        course = this.stmts.byId.get(Number(info.lastInsertRowid)) as CourseRow;
      } else {
        this.stmts.setPackageIdentifier.run(input.manifest.identifier, course.id);
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
        details: { code: course.code, versionId, number, sha256: input.sha256, scormVersion: input.manifest.scormVersion, scos: input.manifest.scos.length } });
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
    const at = now().toISOString();
    const run = db.transaction(() => {
      const before = toCourse(this.stmts.byId.get(courseId) as CourseRow | undefined)!;
      const isRenamed = before.code !== metadata.code;
      if (isRenamed) {
        // Unique among current and former codes, case aside: CP-101 and cp-101 would confuse people.
        if (this.stmts.codeHolder.get({ code: metadata.code, id: courseId })) {
          throw new ConflictError(`Course code ${metadata.code} is already used`, [{ code: 'COURSE_CODE_TAKEN', message: 'Another course has or had this code', path: 'code' }], 'COURSE_CODE_TAKEN');
        }
        this.stmts.deleteAlias.run(metadata.code, courseId);
        this.stmts.insertAlias.run(before.code, courseId, at);
      }
      this.stmts.updateMetadata.run({ ...metadata, id: courseId, now: at });
      const { packageIdentifier: _ignored, ...shown } = before;
      audit.appendInTransaction({ actorId: actor.actorId, action: 'course.update', subject: `course:${courseId}`,
        details: { before: shown, after: metadata, ...(isRenamed ? { codeChanged: { from: before.code, to: metadata.code } } : {}) } });
    });
    try {
      run.immediate();
    } catch (error) {
      throw translateSqliteError(error, { code: 'code' });
    }
    return (await this.findById(courseId))!;
  }

  /** The course's English title and description (null clears one). */
  async setEnglishText(courseId: number, text: CourseEnglishText, actor: { actorId: number | null }): Promise<Course> {
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      this.stmts.setEnglishText.run({ ...text, id: courseId, now: now().toISOString() });
      audit.appendInTransaction({ actorId: actor.actorId, action: 'course.update', subject: `course:${courseId}`, details: { after: text } });
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
  id: number; code: string; title: string; title_en: string | null; description: string; validity_months: number; pass_mark: number | null;
  attempts_limit: number | null; completion_rule: 'rollup' | 'all_scos'; counted_attempt: 'last' | 'highest'; status: CourseStatus;
  published_version_id: number | null; latest_version: number | null; created_at: string; updated_at: string; package_identifier: string | null;
  description_en: string | null;
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
    id: row.id, code: row.code, title: row.title, titleEn: row.title_en, description: row.description, validityMonths: row.validity_months, passMark: row.pass_mark,
    attemptsLimit: row.attempts_limit, completionRule: row.completion_rule, countedAttempt: row.counted_attempt, status: row.status,
    publishedVersionId: row.published_version_id, latestVersionNumber: row.latest_version, createdAt: row.created_at, updatedAt: row.updated_at,
    descriptionEn: row.description_en,
    packageIdentifier: row.package_identifier,
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
