/**
 * Roster import, for the web page and the CLI alike: stream the file once, check and compare
 * every row against the organisation as loaded at the start, report what would change, and —
 * when asked and allowed — write it all in one transaction, in a worker thread. A dry run writes nothing.
 */
import type { Logger } from '../../logger.js';
import { localDateOf } from '../../certification/calendar.js';
import { loopBudget } from '../../shared/loop-budget.js';
import { BranchPlanner } from './branch-planner.js';
import { detectHeader, type RosterHeader } from './roster-columns.js';
import { EmployeePlanner } from './employee-planner.js';
import { rowError } from './roster-errors.js';
import { mayApply, ReportBuilder, type RosterReport } from './roster-report.js';
import type { RosterApplier } from './roster-applier.js';
import type { RosterStore } from './roster.repository.js';
import { openRosterSource, RosterFileError, type RosterRow, type RosterSource } from './roster-rows.js';
import type { RosterActor } from './roster-snapshot.js';
import { RosterStage } from './roster-stage.repository.js';
import { isBlankRow } from './roster-values.js';

export interface RosterImportRequest {
  filePath: string;
  /** The name the user knows the file by (shown and audited). */
  fileName: string;
  /** 'YYYY-MM-DD' transfers and leaves take effect; null = today in the configured zone. */
  effectiveDate: string | null;
  apply: boolean;
  /** Apply the valid rows even when other rows have errors. */
  validOnly: boolean;
  actor: RosterActor;
}

export class RosterImportService {
  constructor(private readonly deps: {
    roster: RosterStore;
    /** Writes the changes off the event loop (a worker thread with its own connection). */
    applier: RosterApplier;
    now: () => Date; timeZone: string; workDir: string; logger: Logger;
    /** After an import wrote something (unless the applier does it): new hires and transfers get enrolled by existing assignments. */
    onApplied?: () => Promise<unknown>;
  }) {}

  /** Today in the configured zone: the default effective date. */
  today(): string {
    return localDateOf(this.deps.now(), this.deps.timeZone);
  }

  async run(request: RosterImportRequest): Promise<RosterReport> {
    const effectiveDate = request.effectiveDate ?? this.today();
    const builder = new ReportBuilder();
    let source: RosterSource;
    try {
      source = await openRosterSource(request.filePath);
    } catch (error) {
      builder.rejectFile([rowError(1, '', 'FILE_UNREADABLE', { detail: (error as Error).message })]);
      return builder.build({ kind: null, fileName: request.fileName, fileType: 'csv', encoding: null, effectiveDate, validOnly: request.validOnly });
    }
    const meta = { fileName: request.fileName, fileType: source.type, encoding: source.encoding, effectiveDate, validOnly: request.validOnly };
    const rows = source.rows[Symbol.asyncIterator]();
    try {
      const header = await this.readHeader(rows, builder);
      if (!header) return builder.build({ ...meta, kind: null });
      const report = header.kind === 'employees'
        ? await this.runEmployees(request, header, rows, builder, meta)
        : await this.runBranches(request, header, rows, builder, meta);
      this.deps.logger.info({ fileName: request.fileName, kind: report.kind, rows: report.rowCount, counts: report.counts, errors: report.errorCount, applied: report.applied }, '[roster] import');
      if (report.applied) await this.deps.onApplied?.();
      return report;
    } finally {
      await rows.return?.();
    }
  }

  private async readHeader(rows: AsyncIterator<RosterRow>, builder: ReportBuilder): Promise<RosterHeader | null> {
    try {
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        if (isBlankRow(next.value.cells)) continue;
        const { header, errors } = detectHeader(next.value.cells);
        if (!header) builder.rejectFile(errors.map((e) => ({ ...e, row: next.value.row })));
        return header;
      }
      builder.rejectFile([rowError(1, '', 'FILE_EMPTY')]);
    } catch (error) {
      this.rejectUnreadable(error, builder);
    }
    return null;
  }

  private async runEmployees(request: RosterImportRequest, header: RosterHeader, rows: AsyncIterator<RosterRow>, builder: ReportBuilder,
    meta: Omit<Parameters<ReportBuilder['build']>[0], 'kind'>): Promise<RosterReport> {
    const snapshot = await this.deps.roster.loadEmployeeSnapshot();
    const stage = request.apply ? RosterStage.open(this.deps.workDir) : null;
    try {
      const planner = new EmployeePlanner({ header, snapshot, scopes: request.actor.scopes, report: builder, stage: stage && ((op) => stage.add(op)) });
      await this.feed(rows, builder, (row) => planner.accept(row.row, row.cells));
      const report = builder.build({ ...meta, kind: 'employees' });
      if (stage && mayApply(report)) {
        this.logEnrolled(await this.deps.applier.applyEmployees(stage, planner.repeatedKeys, this.applyContext(request, report)));
        report.applied = true;
      }
      return report;
    } finally {
      stage?.dispose();
    }
  }

  private async runBranches(request: RosterImportRequest, header: RosterHeader, rows: AsyncIterator<RosterRow>, builder: ReportBuilder,
    meta: Omit<Parameters<ReportBuilder['build']>[0], 'kind'>): Promise<RosterReport> {
    const planner = new BranchPlanner({ header, snapshot: await this.deps.roster.loadBranchSnapshot(), scopes: request.actor.scopes, report: builder });
    await this.feed(rows, builder, (row) => planner.accept(row.row, row.cells));
    const ops = builder.isFileRejected ? [] : planner.finish();
    const report = builder.build({ ...meta, kind: 'branches' });
    if (request.apply && mayApply(report)) {
      this.logEnrolled(await this.deps.applier.applyBranches(ops, this.applyContext(request, report)));
      report.applied = true;
    }
    return report;
  }

  /**
   * Hands each non-blank data row on; a file that breaks mid-way is rejected as a whole. Rows of a
   * chunk already read resolve without a turn for anyone else, so it yields by time.
   */
  private async feed(rows: AsyncIterator<RosterRow>, builder: ReportBuilder, accept: (row: RosterRow) => void): Promise<void> {
    const budget = loopBudget();
    try {
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        if (!isBlankRow(next.value.cells)) accept(next.value);
        const turn = budget.checkpoint();
        if (turn) await turn;
      }
    } catch (error) {
      this.rejectUnreadable(error, builder);
    }
  }

  private logEnrolled(enrolled: number): void {
    if (enrolled > 0) this.deps.logger.info({ enrolled }, '[certification] enrolled users newly covered by assignments');
  }

  private rejectUnreadable(error: unknown, builder: ReportBuilder): void {
    if (!(error instanceof RosterFileError)) throw error;
    builder.rejectFile([rowError(error.row, '', 'FILE_UNREADABLE', { detail: error.message })]);
  }

  private applyContext(request: RosterImportRequest, report: RosterReport) {
    return {
      actorId: request.actor.id,
      effectiveDate: report.effectiveDate,
      subject: `roster:${report.kind}`,
      summary: {
        fileName: request.fileName, kind: report.kind, via: request.actor.via, effectiveDate: report.effectiveDate,
        validOnly: request.validOnly, rows: report.rowCount, counts: report.counts, skippedRows: report.invalidRowCount, errors: report.errorCount,
      },
    };
  }
}
