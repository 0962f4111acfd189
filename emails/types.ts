// Props are plain JSON data (ISO strings for timestamps) so that a workflow can build them and
// hand them to an activity unchanged: nothing here may need a Date, a class or a function.
import type { VaultReport } from '../domain/report';
import type { AlertStatus, Frequency, Scenario, Severity, WorkloadType } from '../domain/types';

/** An alert exactly as §4's Alert JSON shows it. */
export interface AlertData {
  id: string;
  vaultId: string;
  scenario: Scenario;
  severity: Severity;
  status: AlertStatus;
  workloadType: WorkloadType;
  entityName: string;
  jobId: string;
  latestJobId: string;
  occurrences: number;
  errorCode: string | null;
  errorMessage: string | null;
  raisedAt: string;
  lastOccurredAt: string;
  inactivatedAt: string | null;
  inactivatedBy: string | null;
}

export interface VaultRef {
  id: string;
  /** Display name; the id is shown when it is missing. */
  name?: string | null;
}

export interface AlertEmailProps {
  vault: VaultRef;
  alert: AlertData;
}

export interface DigestEmailProps {
  vault: VaultRef;
  /** The window is [windowStart, windowEnd). */
  windowStart: string;
  windowEnd: string;
  /** Every alert of the window still Active; the email counts all of them and lists at most 50. */
  alerts: AlertData[];
}

export interface WelcomeEmailProps {
  vault: VaultRef;
  recipient: string;
  frequency: Frequency;
  /** DIGEST_INTERVAL in milliseconds, to describe the digest cadence; defaults to one hour. */
  digestIntervalMs?: number;
}

export type DestructiveScenario = Extract<Scenario, 'StopProtectionDeleteData' | 'DeleteBackupData'>;

export interface DestructiveNoticeEmailProps {
  vault: VaultRef & { subscriptionId?: string | null };
  alert: AlertData & { scenario: DestructiveScenario };
}

export interface ReportEmailProps {
  vault: VaultRef;
  /** The §2.8 report exactly as GET …/report answers it. */
  report: VaultReport;
}

export interface ResolvedEmailProps {
  vault: VaultRef;
  alert: AlertData;
}

export interface EmailPropsByKind {
  alert: AlertEmailProps;
  resolved: ResolvedEmailProps;
  digest: DigestEmailProps;
  welcome: WelcomeEmailProps;
  destructive: DestructiveNoticeEmailProps;
  report: ReportEmailProps;
}

export type EmailKind = keyof EmailPropsByKind;
export const EMAIL_KINDS = ['alert', 'digest', 'welcome', 'destructive', 'resolved', 'report'] as const satisfies readonly EmailKind[];

export interface RenderOptions {
  /** PUBLIC_URL: the base of every link in the email. */
  publicUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** What each template component receives: its data plus the base URL for links. */
export type TemplateProps<K extends EmailKind> = EmailPropsByKind[K] & RenderOptions;
