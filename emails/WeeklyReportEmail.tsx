// The periodic vault report (§2.8): the same numbers as GET …/report, with a small bar chart built
// from table cells (no images: many clients block them, and nothing external may load).
import { Heading, Link, Section, Text } from '@react-email/components';
import type { CSSProperties } from 'react';
import { STATUS_ORDER, dayTotal, formatRate, formatSpan, jobTotals } from '../domain/report';
import { Fields, Layout, ButtonLink, heading, link, muted, paragraph } from './components/Layout';
import { formatWindow, itemUrl, oneLine, plural, reportUrl, vaultLabel, vaultUrl } from './format';
import type { ReportEmailProps, TemplateProps } from './types';

/** Rows listed per ranking; the console has the rest. */
export const REPORT_LIST_MAX = 10;
export const STATUS_COLOR = { Completed: '#12b76a', CompletedWithWarnings: '#f79009', Failed: '#d92d20', Cancelled: '#98a2b3' } as const;
const STATUS_LABEL = { Completed: 'Completed', CompletedWithWarnings: 'With warnings', Failed: 'Failed', Cancelled: 'Cancelled' } as const;

const alertCount = (props: ReportEmailProps) => Object.values(props.report.alertsBySeverity).reduce((a, b) => a + b, 0);

export function reportSubject(props: ReportEmailProps): string {
  const { vault, report } = props;
  return `Backup report for vault ${vaultLabel(vault)}, ${formatWindow(report.from, report.to)}: ` +
    `${formatRate(report.successRate)} backups succeeded, ${plural(alertCount(props), 'alert')}`;
}

function headline(props: ReportEmailProps): Array<[string, string]> {
  const { report } = props;
  const jobs = jobTotals(report);
  const severity = report.alertsBySeverity;
  const health = report.itemsByHealth;
  return [
    ['Backup success rate', formatRate(report.successRate)],
    ['Jobs finished', `${jobs.total} (${jobs.Completed} completed, ${jobs.CompletedWithWarnings} with warnings, ${jobs.Failed} failed, ${jobs.Cancelled} cancelled)`],
    ['Alerts raised', `${alertCount(props)} (${severity.Critical} Critical, ${severity.Warning} Warning, ${severity.Informational} Informational)`],
    ['Mean time to resolve', formatSpan(report.meanTimeToResolveMs)],
    ['Items now', `${health.Healthy} healthy, ${health.Warning} warning, ${health.Critical} critical, ${health.Unknown} unknown`],
    ['Missed backups', plural(report.missedItems.reduce((sum, item) => sum + item.misses, 0), 'missed backup')],
  ];
}

const misses = (n: number) => `${n} ${n === 1 ? 'miss' : 'misses'}`;
const ranked = <T,>(rows: readonly T[]) => ({ shown: rows.slice(0, REPORT_LIST_MAX), more: Math.max(0, rows.length - REPORT_LIST_MAX) });

export function reportText(props: TemplateProps<'report'>): string {
  const { report, publicUrl, vault } = props;
  const lines = [reportSubject(props), '', `Vault ${vaultLabel(vault)}, ${formatWindow(report.from, report.to)}:`, ''];
  for (const [label, value] of headline(props)) lines.push(`${`${label}:`.padEnd(22)}${value}`);
  lines.push('', 'Jobs by day (completed / with warnings / failed / cancelled):');
  for (const day of report.jobsByDay) lines.push(`  ${day.day}  ${STATUS_ORDER.map((s) => day[s]).join(' / ')}`);
  const failing = ranked(report.topFailingItems);
  if (failing.shown.length > 0) {
    lines.push('', 'Items failing most:');
    failing.shown.forEach((item, i) => lines.push(`  ${i + 1}. ${oneLine(item.entityName)} (${item.workloadType}): ${plural(item.failures, 'failed backup')}`, `     ${itemUrl(publicUrl, { vaultId: vault.id, ...item })}`));
  }
  const missed = ranked(report.missedItems);
  if (missed.shown.length > 0) {
    lines.push('', 'Items that missed backups:');
    missed.shown.forEach((item) => lines.push(`  - ${oneLine(item.entityName)} (${item.workloadType}): ${misses(item.misses)}`));
    if (missed.more > 0) lines.push(`  +${missed.more} more`);
  }
  lines.push('', `The report in the console: ${reportUrl(publicUrl, vault.id, report.from, report.to)}`, `Open the vault: ${vaultUrl(publicUrl, vault.id)}`, '', 'Sent by Backup Monitor. Times are in UTC.');
  return lines.join('\n');
}

// Long item names must wrap: an unbreakable one would widen the whole email past 640 px.
const itemLine: CSSProperties = { ...paragraph, margin: '2px 0', wordBreak: 'break-word', overflowWrap: 'anywhere' };
const cell: CSSProperties = { fontSize: 12, padding: '2px 6px', whiteSpace: 'nowrap', color: '#344054' };

/** One row per day: the day, a stacked bar scaled to the busiest day, the numbers. */
function DayBars({ report }: { report: ReportEmailProps['report'] }) {
  const max = Math.max(1, ...report.jobsByDay.map(dayTotal));
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} data-chart="jobs-by-day">
      <tbody>
        {report.jobsByDay.map((day) => {
          const total = dayTotal(day);
          return (
            <tr key={day.day}>
              <td style={{ ...cell, width: 80 }}>{day.day}</td>
              <td style={{ padding: '3px 0', width: '100%' }}>
                <table role="presentation" cellPadding={0} cellSpacing={0} width={`${Math.max(1, Math.round((total / max) * 100))}%`}>
                  <tbody>
                    <tr>
                      {total === 0 ? <td style={{ height: 12, fontSize: 1, lineHeight: '1px' }}>&nbsp;</td> : STATUS_ORDER.filter((s) => day[s] > 0).map((status) => (
                        <td key={status} title={`${day[status]} ${STATUS_LABEL[status]}`} width={`${(day[status] / total) * 100}%`}
                          style={{ backgroundColor: STATUS_COLOR[status], height: 12, fontSize: 1, lineHeight: '1px' }}>&nbsp;</td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </td>
              <td style={{ ...cell, textAlign: 'right' }} data-day={day.day}>{STATUS_ORDER.map((s) => day[s]).join(' / ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default function WeeklyReportEmail(props: TemplateProps<'report'>) {
  const { report, publicUrl, vault } = props;
  const failing = ranked(report.topFailingItems);
  const missed = ranked(report.missedItems);
  return (
    <Layout preview={reportSubject(props)}>
      <Heading as="h2" style={heading}>Backup report for vault {vaultLabel(vault)}</Heading>
      <Text style={muted}>{formatWindow(report.from, report.to)}</Text>
      <Fields rows={headline(props)} />
      <Text style={{ ...paragraph, fontWeight: 600 }}>Jobs by day</Text>
      <DayBars report={report} />
      <Text style={muted}>
        {STATUS_ORDER.map((status) => (
          <span key={status} style={{ marginRight: 12 }}><span style={{ color: STATUS_COLOR[status] }}>■</span> {STATUS_LABEL[status]}</span>
        ))}
        {' '}(numbers: completed / with warnings / failed / cancelled)
      </Text>
      {failing.shown.length > 0 && (
        <Section>
          <Text style={{ ...paragraph, fontWeight: 600 }}>Items failing most</Text>
          {failing.shown.map((item, i) => (
            <Text key={`${item.workloadType}/${item.entityName}`} style={itemLine}>
              {i + 1}. <Link href={itemUrl(publicUrl, { vaultId: vault.id, ...item })} style={link}>{item.entityName}</Link> ({item.workloadType}): {plural(item.failures, 'failed backup')}
            </Text>
          ))}
        </Section>
      )}
      {missed.shown.length > 0 && (
        <Section>
          <Text style={{ ...paragraph, fontWeight: 600 }}>Items that missed backups</Text>
          {missed.shown.map((item) => (
            <Text key={`${item.workloadType}/${item.entityName}`} style={itemLine}>
              <Link href={itemUrl(publicUrl, { vaultId: vault.id, ...item })} style={link}>{item.entityName}</Link> ({item.workloadType}): {misses(item.misses)}
            </Text>
          ))}
          {missed.more > 0 && <Text style={muted}>+{missed.more} more</Text>}
        </Section>
      )}
      <Section style={{ margin: '20px 0 8px' }}>
        <ButtonLink href={reportUrl(publicUrl, vault.id, report.from, report.to)}>Open the report</ButtonLink>
      </Section>
      <Text style={muted}>
        Or open the vault: <Link href={vaultUrl(publicUrl, vault.id)} style={link}>{vaultUrl(publicUrl, vault.id)}</Link>
      </Text>
    </Layout>
  );
}
