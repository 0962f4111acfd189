import { Heading, Link, Section, Text } from '@react-email/components';
import type { CSSProperties } from 'react';
import { Layout, SeverityBadge, heading, link, muted, paragraph } from './components/Layout';
import {
  SEVERITY_ORDER, alertListUrl, alertUrl, countBySeverity, formatUtc, formatWindow, oneLine, plural, vaultLabel,
} from './format';
import type { AlertData, DigestEmailProps, TemplateProps } from './types';

/** More rows make the email clipped by Gmail (~100 KB) and unreadable anyway; the link lists all. */
export const DIGEST_MAX_ROWS = 50;

/** Critical first, then oldest first, so the cap never hides a Critical alert behind Warnings. */
export function digestRows(alerts: readonly AlertData[]): { shown: AlertData[]; more: number } {
  const sorted = [...alerts].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      Date.parse(a.raisedAt) - Date.parse(b.raisedAt) ||
      a.id.localeCompare(b.id),
  );
  return { shown: sorted.slice(0, DIGEST_MAX_ROWS), more: Math.max(0, sorted.length - DIGEST_MAX_ROWS) };
}

function countsText(alerts: readonly AlertData[], skipZero = false): string {
  const counts = countBySeverity(alerts);
  return SEVERITY_ORDER.filter((severity) => !skipZero || counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}`)
    .join(', ');
}

export function digestSubject({ vault, windowStart, windowEnd, alerts }: DigestEmailProps): string {
  const top = SEVERITY_ORDER.find((severity) => alerts.some((alert) => alert.severity === severity)) ?? 'Informational';
  const only = alerts.length === 1 ? alerts[0] : undefined;
  const what = only
    ? `${only.scenario} on ${oneLine(only.entityName)}`
    : `${plural(alerts.length, 'alert')} (${countsText(alerts, true)})`;
  return `[${top}] Digest for vault ${vaultLabel(vault)}: ${what}, ${formatWindow(windowStart, windowEnd)}`;
}

const listUrl = ({ publicUrl, vault, windowStart, windowEnd }: TemplateProps<'digest'>) =>
  alertListUrl(publicUrl, vault.id, { status: 'Active', from: windowStart, to: windowEnd });

export function digestText(props: TemplateProps<'digest'>): string {
  const { alerts, vault, windowStart, windowEnd, publicUrl } = props;
  const { shown, more } = digestRows(alerts);
  const lines = [
    digestSubject(props),
    '',
    `Alerts raised in vault ${vaultLabel(vault)} between ${formatWindow(windowStart, windowEnd)} that are still active:`,
    `${plural(alerts.length, 'alert')}: ${countsText(alerts)}.`,
    '',
  ];
  shown.forEach((alert, index) => {
    lines.push(
      `${index + 1}. [${alert.severity}] ${alert.scenario} on ${oneLine(alert.entityName)}`,
      `   Raised at ${formatUtc(alert.raisedAt)}${alert.errorCode ? `, error ${oneLine(alert.errorCode)}` : ''}`,
      `   ${alertUrl(publicUrl, alert)}`,
    );
  });
  if (more > 0) lines.push('', `+${more} more: ${listUrl(props)}`);
  lines.push('', 'Sent by Backup Monitor. Times are in UTC.');
  return `${lines.join('\n')}\n`;
}

const th: CSSProperties = { borderBottom: '2px solid #e4e7ec', color: '#667085', fontSize: 12, padding: '6px 8px 6px 0', textAlign: 'left' };
const td: CSSProperties = { borderBottom: '1px solid #f2f4f7', color: '#101828', fontSize: 13, padding: '6px 8px 6px 0', verticalAlign: 'top', wordBreak: 'break-word' };

export default function DigestEmail(props: TemplateProps<'digest'>) {
  const { alerts, vault, windowStart, windowEnd, publicUrl } = props;
  const { shown, more } = digestRows(alerts);
  const counts = countBySeverity(alerts);
  const window = formatWindow(windowStart, windowEnd);
  return (
    <Layout
      preview={`${plural(alerts.length, 'active alert')} in vault ${vaultLabel(vault)}, ${window}`}
      footer={
        <Text style={muted}>
          You receive this hourly digest because you are a notification recipient of vault {vaultLabel(vault)}.
        </Text>
      }
    >
      <Heading as="h1" style={heading}>
        Alert digest for vault {vaultLabel(vault)}
      </Heading>
      <Text style={paragraph}>
        {plural(alerts.length, 'alert')} raised between {window} and still active:
      </Text>
      <Section style={{ margin: '8px 0 16px' }}>
        {SEVERITY_ORDER.map((severity) => (
          <span key={severity} style={{ marginRight: 16 }}>
            <SeverityBadge severity={severity} /> <strong data-severity-count={severity}>{counts[severity]}</strong>
          </span>
        ))}
      </Section>
      <table role="presentation" width="100%" cellPadding={0} cellSpacing={0}>
        <thead>
          <tr>
            <th style={th}>Severity</th>
            <th style={th}>Scenario</th>
            <th style={th}>Protected item</th>
            <th style={th}>Raised at</th>
            <th style={th} />
          </tr>
        </thead>
        <tbody>
          {shown.map((alert) => (
            <tr key={alert.id}>
              <td style={td}>
                <SeverityBadge severity={alert.severity} />
              </td>
              <td style={td}>{alert.scenario}</td>
              <td style={td}>{alert.entityName}</td>
              <td style={{ ...td, whiteSpace: 'nowrap' }}>{formatUtc(alert.raisedAt)}</td>
              <td style={td}>
                <Link href={alertUrl(publicUrl, alert)} style={link}>
                  View
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 ? (
        <Text style={paragraph}>
          <Link href={listUrl(props)} style={link}>
            {`+${more} more`}
          </Link>{' '}
          not shown here.
        </Text>
      ) : null}
    </Layout>
  );
}
