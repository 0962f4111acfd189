import { JOB_TIMED_OUT, type Job } from '../domain/types';
import type { BackupJobInput, CancelJobSignal, CompleteJobSignal } from './definitions';

export type OutcomeDecision = { accepted: true } | { accepted: false; reason: 'AlreadyTerminal' };

/** The live job: the first outcome wins, a terminal job never changes again. */
export class JobState {
  readonly job: Job;

  constructor(input: BackupJobInput) {
    this.job = {
      id: input.jobId,
      vaultId: input.vaultId,
      workloadType: input.workloadType,
      operation: input.operation,
      trigger: input.trigger,
      entityName: input.entityName,
      status: 'InProgress',
      startedAt: input.startedAt,
      endedAt: null,
      durationMs: null,
      errorCode: null,
      errorMessage: null,
      warnings: [],
    };
  }

  get terminal(): boolean {
    return this.job.status !== 'InProgress';
  }

  complete(signal: CompleteJobSignal): OutcomeDecision {
    if (this.terminal) return { accepted: false, reason: 'AlreadyTerminal' };
    this.end(signal.endedAt, signal.status, signal.errorCode ?? null, signal.errorMessage ?? null);
    this.job.warnings = signal.warnings ?? [];
    return { accepted: true };
  }

  cancel(signal: CancelJobSignal): OutcomeDecision {
    if (this.terminal) return { accepted: false, reason: 'AlreadyTerminal' };
    this.end(signal.endedAt, 'Cancelled', null, null);
    return { accepted: true };
  }

  timeOut(timeoutMs: number): OutcomeDecision {
    if (this.terminal) return { accepted: false, reason: 'AlreadyTerminal' };
    const endedAt = new Date(Date.parse(this.job.startedAt) + timeoutMs).toISOString();
    this.end(endedAt, 'Failed', JOB_TIMED_OUT, `The job did not finish within ${timeoutMs} ms of its start.`);
    return { accepted: true };
  }

  /** Milliseconds left before the timeout, counted from the job's start. */
  remainingMs(nowMs: number, timeoutMs: number): number {
    return Math.max(0, Date.parse(this.job.startedAt) + timeoutMs - nowMs);
  }

  private end(endedAt: string, status: Job['status'], errorCode: string | null, errorMessage: string | null) {
    // A clock skew between reporter and API must not produce a negative duration.
    const startedMs = Date.parse(this.job.startedAt);
    const endedMs = Math.max(Date.parse(endedAt), startedMs);
    this.job.status = status;
    this.job.endedAt = new Date(endedMs).toISOString();
    this.job.durationMs = endedMs - startedMs;
    this.job.errorCode = errorCode;
    this.job.errorMessage = errorMessage;
  }
}
