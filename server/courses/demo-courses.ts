import fs from 'node:fs';
import path from 'node:path';
import type { Container } from '../container.js';
import { buildAllCourses } from '../../courses/build.js';
import { seedDemoExam } from './demo-exams.js';

/** Who must take what in the demo bank: everyone takes the core courses; sales staff take suitability too. */
const SALES_ONLY = new Set(['CP-105']);
const SALES_POSITIONS = ['客户经理', '理财经理'];

/**
 * The curriculum we ship, in the demo: built from courses/, imported through the real ingest
 * service (so a broken package fails the demo loudly), its exam bank imported through the real
 * bank import with an exam that needs the lessons and a pass, published, and assigned to the whole
 * bank as the admin with 30 days to complete.
 */
export async function seedDemoCourses(container: Container, adminUserId: number): Promise<string[]> {
  const { ingest, courses, certification, auth } = container.services;
  const buildDir = path.join(container.config.dataDir, 'demo-courses');
  const built = await buildAllCourses(buildDir);
  const admin = (await auth.loadPrincipal(adminUserId))!;
  const codes: string[] = [];
  try {
    for (const course of built) {
      const result = await ingest.ingest({ zipPath: course.zipPath, code: course.code, uploadedBy: adminUserId });
      await courses.updateMetadata(course.code, {
        title: course.title, titleEn: course.titleEn, description: course.description, validityMonths: 12, passMark: 80, attemptsLimit: 3,
        completionRule: 'rollup', countedAttempt: 'highest',
      }, adminUserId);
      await courses.setEnglishText(course.code, { titleEn: course.titleEn, descriptionEn: course.descriptionEn }, adminUserId);
      await seedDemoExam(container, admin, course);
      await courses.publish(course.code, adminUserId, result.version.number);
      await certification.createAssignment(admin, {
        course: course.code, branch: 'HO', includeSubBranches: true, positions: SALES_ONLY.has(course.code) ? SALES_POSITIONS : [],
        dueDate: null, dueDays: 30, dueBasis: 'assignment',
      });
      codes.push(course.code);
    }
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
  return codes;
}
