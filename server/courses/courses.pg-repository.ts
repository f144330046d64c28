import type { PgPool, PgQueryable } from '../db/postgres/pool.js';
import { ConflictError } from '../errors.js';
import { transaction } from '../db/postgres/transaction.js';
import { translatePgError } from '../db/postgres/pg-errors.js';
import type { PgAuditRepository } from '../audit/audit.pg-repository.js';
import type { ParsedManifest } from './manifest/manifest.types.js';
import {
  COURSE_SELECT, toCourse, toSco, toVersion,
  type Course, type CourseEnglishText, type CourseMetadata, type CourseRow, type CoursesStore, type CourseStatus, type CourseVersion, type NewVersion, type Sco, type ScoRow, type VersionRow,
} from './courses.repository.js';

/** Unique among current and former codes, case aside: CP-101 and cp-101 would confuse people. */
const CODE_HOLDER = `SELECT id AS course_id FROM courses WHERE lower(code) = lower($1) AND id <> $2
  UNION ALL SELECT course_id FROM course_code_aliases WHERE lower(code) = lower($1) AND course_id <> $2 LIMIT 1`;

function codeTaken(code: string): ConflictError {
  return new ConflictError(`Course code ${code} is already used`, [{ code: 'COURSE_CODE_TAKEN', message: 'Another course has or had this code', path: 'code' }], 'COURSE_CODE_TAKEN');
}

const VERSION_COLUMNS = 'id, course_id, number, scorm_version, title, sha256, size_bytes, storage_dir, uploaded_by, uploaded_at, problems_json';

/** Courses, versions and SCOs on PostgreSQL (see courses.repository.ts). */
export class PgCoursesRepository implements CoursesStore {
  constructor(private readonly deps: { pool: PgPool; audit: PgAuditRepository; now: () => Date }) {}

  /** By the current code, or by a code the course had before (old links keep working). */
  async findByCode(code: string): Promise<Course | null> {
    return toCourse(await rowByCode(this.deps.pool, code));
  }

  async findByPackageIdentifier(identifier: string): Promise<Course | null> {
    return toCourse((await this.deps.pool.query<CourseRow>(`${COURSE_SELECT} WHERE c.package_identifier = $1 ORDER BY c.id DESC LIMIT 1`, [identifier])).rows[0]);
  }

  /** Every code in use, current or former: a new course may take none of them. */
  async listTakenCodes(): Promise<string[]> {
    return (await this.deps.pool.query<{ code: string }>('SELECT code FROM courses UNION ALL SELECT code FROM course_code_aliases')).rows.map((r) => r.code);
  }

  async listFormerCodes(courseId: number): Promise<string[]> {
    return (await this.deps.pool.query<{ code: string }>('SELECT code FROM course_code_aliases WHERE course_id = $1 ORDER BY created_at, code', [courseId])).rows.map((r) => r.code);
  }

  async findById(id: number): Promise<Course | null> {
    return toCourse((await this.deps.pool.query<CourseRow>(`${COURSE_SELECT} WHERE c.id = $1`, [id])).rows[0]);
  }

  /** Courses with an English title (the staff pages' English titles, english-titles.ts). */
  async listEnglishTitles(): Promise<Array<{ code: string; titleEn: string }>> {
    return (await this.deps.pool.query<{ code: string; title_en: string }>("SELECT code, title_en FROM courses WHERE title_en IS NOT NULL AND title_en <> ''"))
      .rows.map((r) => ({ code: r.code, titleEn: r.title_en }));
  }

  async list(status?: CourseStatus): Promise<Course[]> {
    return (await this.deps.pool.query<CourseRow>(`${COURSE_SELECT} WHERE ($1::text IS NULL OR c.status = $1) ORDER BY c.code`, [status ?? null])).rows.map((r) => toCourse(r)!);
  }

  async listVersions(courseId: number): Promise<CourseVersion[]> {
    return (await this.deps.pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM course_versions WHERE course_id = $1 ORDER BY number DESC`, [courseId])).rows.map(toVersion);
  }

  async findVersion(id: number): Promise<CourseVersion | null> {
    const row = (await this.deps.pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM course_versions WHERE id = $1`, [id])).rows[0];
    return row ? toVersion(row) : null;
  }

  async getManifest(versionId: number): Promise<ParsedManifest | null> {
    const row = (await this.deps.pool.query<{ manifest_json: string }>('SELECT manifest_json FROM course_versions WHERE id = $1', [versionId])).rows[0];
    return row ? (JSON.parse(row.manifest_json) as ParsedManifest) : null;
  }

  async listScos(versionId: number): Promise<Sco[]> {
    return (await this.deps.pool.query<ScoRow>('SELECT * FROM scos WHERE version_id = $1 ORDER BY position', [versionId])).rows.map(toSco);
  }

  /**
   * As the SQLite twin. The course row is created if missing and then locked, so two uploads of
   * one code on two nodes number their versions one after the other instead of colliding.
   */
  async addVersion(input: NewVersion, actor: { actorId: number | null }): Promise<{ course: Course; version: CourseVersion; scos: Sco[] }> {
    const { pool, audit, now } = this.deps;
    const at = now().toISOString();
    let ids: { courseId: number; versionId: number };
    try {
      ids = await transaction(pool, async (client) => {
        const found = await rowByCode(client, input.code);
        if (!found) {
          if ((await client.query(CODE_HOLDER, [input.code, -1])).rows.length > 0) throw codeTaken(input.code);
          await client.query('INSERT INTO courses (code, title, package_identifier, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (code) DO NOTHING',
            [input.code, input.manifest.title, input.manifest.identifier, at]);
        }
        const course = (await client.query<{ id: number; code: string }>('SELECT id, code FROM courses WHERE id = $1 FOR UPDATE',
          [found ? found.id : (await client.query<{ id: number }>('SELECT id FROM courses WHERE code = $1', [input.code])).rows[0].id])).rows[0];
        const courseId = course.id;
        await client.query('UPDATE courses SET package_identifier = $1 WHERE id = $2', [input.manifest.identifier, courseId]);
        const number = (await client.query<{ n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM course_versions WHERE course_id = $1', [courseId])).rows[0].n;
        const versionId = (await client.query<{ id: number }>(`INSERT INTO course_versions (course_id, number, scorm_version, title, manifest_json, problems_json,
          sha256, size_bytes, storage_dir, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [courseId, number, input.manifest.scormVersion, input.manifest.title, JSON.stringify(input.manifest), JSON.stringify(input.problems), input.sha256,
          input.sizeBytes, input.storageDir, input.uploadedBy, at])).rows[0].id;
        for (const sco of input.manifest.scos) {
          await client.query(`INSERT INTO scos (version_id, identifier, title, href, parameters, mastery_score, scaled_passing_score,
            max_time_allowed, time_limit_action, launch_data, completion_threshold, objectives_json, data_json, position)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [versionId, sco.identifier, sco.title, sco.href, sco.parameters, sco.masteryScore, sco.scaledPassingScore, sco.maxTimeAllowed,
            sco.timeLimitAction, sco.launchData, sco.completionThreshold, JSON.stringify(sco.objectives), JSON.stringify(sco.dataMaps), sco.position]);
        }
        await audit.appendWith(client, { actorId: actor.actorId, action: 'course.upload', subject: `course:${courseId}`,
          details: { code: course.code, versionId, number, sha256: input.sha256, scormVersion: input.manifest.scormVersion, scos: input.manifest.scos.length } });
        return { courseId, versionId };
      });
    } catch (error) {
      throw translatePgError(error, { code: 'code' });
    }
    return { course: (await this.findById(ids.courseId))!, version: (await this.findVersion(ids.versionId))!, scos: await this.listScos(ids.versionId) };
  }

  async updateMetadata(courseId: number, metadata: CourseMetadata, actor: { actorId: number | null }): Promise<Course> {
    const { pool, audit, now } = this.deps;
    const at = now().toISOString();
    try {
      await transaction(pool, async (client) => {
        const before = toCourse((await client.query<CourseRow>(`${COURSE_SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [courseId])).rows[0])!;
        const isRenamed = before.code !== metadata.code;
        if (isRenamed) {
          if ((await client.query(CODE_HOLDER, [metadata.code, courseId])).rows.length > 0) throw codeTaken(metadata.code);
          await client.query('DELETE FROM course_code_aliases WHERE lower(code) = lower($1) AND course_id = $2', [metadata.code, courseId]);
          await client.query('INSERT INTO course_code_aliases (code, course_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [before.code, courseId, at]);
        }
        await client.query(`UPDATE courses SET code = $1, title = $2, title_en = $3, description = $4, validity_months = $5, pass_mark = $6, attempts_limit = $7,
          completion_rule = $8, counted_attempt = $9, updated_at = $10 WHERE id = $11`,
        [metadata.code, metadata.title, metadata.titleEn, metadata.description, metadata.validityMonths, metadata.passMark, metadata.attemptsLimit,
          metadata.completionRule, metadata.countedAttempt, at, courseId]);
        const { packageIdentifier: _ignored, ...shown } = before;
        await audit.appendWith(client, { actorId: actor.actorId, action: 'course.update', subject: `course:${courseId}`,
          details: { before: shown, after: metadata, ...(isRenamed ? { codeChanged: { from: before.code, to: metadata.code } } : {}) } });
      });
    } catch (error) {
      throw translatePgError(error, { code: 'code' });
    }
    return (await this.findById(courseId))!;
  }

  /** The course's English title and description (null clears one). */
  async setEnglishText(courseId: number, text: CourseEnglishText, actor: { actorId: number | null }): Promise<Course> {
    const { pool, audit, now } = this.deps;
    await transaction(pool, async (client) => {
      await client.query('UPDATE courses SET title_en = $1, description_en = $2, updated_at = $3 WHERE id = $4', [text.titleEn, text.descriptionEn, now().toISOString(), courseId]);
      await audit.appendWith(client, { actorId: actor.actorId, action: 'course.update', subject: `course:${courseId}`, details: { after: text } });
    });
    return (await this.findById(courseId))!;
  }

  async setStatus(courseId: number, status: CourseStatus, versionId: number | null, actor: { actorId: number | null }): Promise<Course> {
    const { pool, audit, now } = this.deps;
    await transaction(pool, async (client) => {
      await client.query('UPDATE courses SET status = $1, published_version_id = $2, updated_at = $3 WHERE id = $4', [status, versionId, now().toISOString(), courseId]);
      await audit.appendWith(client, { actorId: actor.actorId, action: status === 'published' ? 'course.publish' : status === 'retired' ? 'course.retire' : 'course.draft', subject: `course:${courseId}`, details: { versionId } });
    });
    return (await this.findById(courseId))!;
  }
}

async function rowByCode(db: PgQueryable, code: string): Promise<CourseRow | undefined> {
  return (await db.query<CourseRow>(`${COURSE_SELECT} WHERE c.code = $1
    UNION ALL ${COURSE_SELECT} WHERE c.id = (SELECT course_id FROM course_code_aliases WHERE code = $1) LIMIT 1`, [code])).rows[0];
}
