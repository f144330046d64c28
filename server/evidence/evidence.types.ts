/**
 * The evidence file (JSON; the PDF prints the same record): everything behind one employee's
 * status in one course, each record with its place in the audit chain.
 */
import type { CertificationStatus } from '../certification/status-rules.js';
import type { ExamEvidenceAttempt } from './exam-evidence.js';

export const EVIDENCE_FORMAT = 'compliance-lms/evidence@1';

/** An audit event of a record: its id (position in the chain) and hash. */
export interface AuditPosition { id: number; at: string; action: string; hash: string }

export interface EvidenceTry {
  id: number; sco: string; tryNumber: number; recordedAt: string; completionStatus: string; successStatus: string;
  scoreRaw: number | null; score: number | null;
  interactions: Array<{ id: string; type: string | null; response: string | null; correct: string | null; result: string | null; latency: string | null; at: string }>;
  audit: AuditPosition[];
}

export interface EvidenceLearningTime {
  /** What the course reported (SCORM cmi total_time, summed over sessions). */
  scormSeconds: number;
  /** What the LMS measured: launches, commits and heartbeats, idle gaps over idleCutSeconds cut. */
  measuredSeconds: number;
  launches: number;
  idleCutSeconds: number;
}

export interface EvidenceAttempt {
  id: number; number: number; versionId: number; startedAt: string; finishedAt: string | null; completedAt: string | null;
  completionStatus: string; successStatus: string; score: number | null; triesCount: number;
  learningTime: EvidenceLearningTime;
  tries: EvidenceTry[];
  audit: AuditPosition[];
}

export interface EvidenceCertificate {
  serial: string; attemptId: number | null; score: number | null; issuedAt: string; expiresAt: string;
  revokedAt: string | null; revokedReason: string | null; audit: AuditPosition[];
}

export interface EvidenceRecord {
  format: typeof EVIDENCE_FORMAT;
  generatedAt: string;
  generatedBy: { id: number; name: string } | null;
  /** `userId`: the LMS's id (audit subjects `user:<id>`). */
  employee: { userId: number; employeeNo: string | null; name: string; position: string | null; status: string; branchCode: string | null; branchName: string | null };
  course: { code: string; title: string; validityMonths: number; passMark: number | null; attemptsLimit: number | null };
  /** Null for optional (self-enrolled) learning, which has no certification status. */
  status: { status: CertificationStatus; asOf: string; dueDate: string | null; expiryDate: string | null } | null;
  assignment: {
    enrollmentId: number; source: string; assignedAt: string; dueAt: string | null; assignmentId: number | null; retakesGranted: number;
    audit: AuditPosition[];
  };
  attempts: EvidenceAttempt[];
  learningTime: EvidenceLearningTime;
  certificates: EvidenceCertificate[];
  exam: { attempts: ExamEvidenceAttempt[] };
  /** The chain's newest event when the file was made: verify-audit prints the same head. */
  auditHead: { id: number; hash: string } | null;
}
