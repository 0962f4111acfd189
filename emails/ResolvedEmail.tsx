import { Heading, Text } from '@react-email/components';
import { AlertLinks, Fields, Layout, muted, paragraph, heading } from './components/Layout';
import { alertUrl, formatUtc, oneLine, vaultLabel } from './format';
import type { AlertData, ResolvedEmailProps, TemplateProps } from './types';

export function resolvedSubject({ alert, vault }: ResolvedEmailProps): string {
  return `[Resolved] ${alert.scenario} on ${oneLine(alert.entityName)} in vault ${vaultLabel(vault)}`;
}

function how(alert: AlertData): string {
  const by = alert.inactivatedBy ?? 'system';
  return by === 'system' ? 'resolved automatically by a later successful job' : `inactivated by ${by}`;
}

function facts(alert: AlertData): Array<[string, string]> {
  return [
    ['Protected item', alert.entityName],
    ['Scenario', alert.scenario],
    ['Severity', alert.severity],
    ['Raised at', formatUtc(alert.raisedAt)],
    ['Resolved at', alert.inactivatedAt ? formatUtc(alert.inactivatedAt) : 'now'],
  ];
}

export function resolvedText({ alert, vault, publicUrl }: TemplateProps<'resolved'>): string {
  const lines = [
    resolvedSubject({ alert, vault }), '', `The alert was ${how(alert)}.`, '',
    ...facts(alert).map(([label, value]) => `${`${label}:`.padEnd(16)}${oneLine(value)}`),
    '', `View the alert: ${alertUrl(publicUrl, alert)}`, '', 'Sent by Backup Monitor. Times are in UTC.',
  ];
  return `${lines.join('\n')}\n`;
}

/** §2.6 notifyOnResolved: a short note to a recipient who was emailed the alert. */
export default function ResolvedEmail({ alert, vault, publicUrl }: TemplateProps<'resolved'>) {
  return (
    <Layout
      preview={`Resolved: ${alert.scenario} on ${alert.entityName}`}
      footer={<Text style={muted}>You receive this email because you were notified of this alert in vault {vaultLabel(vault)}.</Text>}
    >
      <Heading as="h1" style={heading}>{`Resolved: ${alert.scenario} on ${alert.entityName}`}</Heading>
      <Text style={paragraph}>The alert was {how(alert)}.</Text>
      <Fields rows={facts(alert)} />
      <AlertLinks url={alertUrl(publicUrl, alert)} />
    </Layout>
  );
}
