import { Heading, Text } from '@react-email/components';
import { AlertLinks, ErrorBlock, Fields, Layout, SeverityBadge, heading, muted, paragraph } from './components/Layout';
import { SCENARIO_DESCRIPTION, alertUrl, formatUtc, multiLine, oneLine, vaultLabel } from './format';
import type { AlertData, AlertEmailProps, TemplateProps, VaultRef } from './types';

export function alertSubject({ alert, vault }: AlertEmailProps): string {
  return `[${alert.severity}] ${alert.scenario} on ${oneLine(alert.entityName)} in vault ${vaultLabel(vault)}`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The facts both parts show, in the same order. */
export function alertFacts(alert: AlertData, vault: VaultRef): Array<[string, string]> {
  const vaultText = vault.name?.trim() && vault.name !== vault.id ? `${vault.name} (${vault.id})` : vault.id;
  const rows: Array<[string, string]> = [
    ['Protected item', alert.entityName],
    ['Vault', vaultText],
    ['Workload', alert.workloadType],
    ['Scenario', alert.scenario],
    ['Severity', alert.severity],
    ['Job id', alert.jobId],
    ['Raised at', formatUtc(alert.raisedAt)],
  ];
  if (alert.occurrences > 1) {
    rows.push(['Occurrences', `${alert.occurrences} (latest job ${alert.latestJobId}, ${formatUtc(alert.lastOccurredAt)})`]);
  }
  return rows;
}

export function alertText({ alert, vault, publicUrl }: TemplateProps<'alert'>): string {
  const labelWidth = 16;
  const lines = [
    alertSubject({ alert, vault }),
    '',
    `${sentence(SCENARIO_DESCRIPTION[alert.scenario].text)}.`,
    '',
    ...alertFacts(alert, vault).map(([label, value]) => `${`${label}:`.padEnd(labelWidth)}${oneLine(value)}`),
  ];
  if (alert.errorCode) lines.push(`${'Error code:'.padEnd(labelWidth)}${oneLine(alert.errorCode)}`);
  if (alert.errorMessage) lines.push('Error message:', multiLine(alert.errorMessage));
  lines.push('', `View the alert: ${alertUrl(publicUrl, alert)}`, '', 'Sent by Backup Monitor. Times are in UTC.');
  return `${lines.join('\n')}\n`;
}

export default function AlertEmail({ alert, vault, publicUrl }: TemplateProps<'alert'>) {
  const url = alertUrl(publicUrl, alert);
  const description = SCENARIO_DESCRIPTION[alert.scenario].text;
  return (
    <Layout
      preview={`${alert.scenario} on ${alert.entityName}: ${description}`}
      footer={
        <Text style={muted}>
          You receive this email because you are a notification recipient of vault {vaultLabel(vault)}.
        </Text>
      }
    >
      <SeverityBadge severity={alert.severity} />
      <Heading as="h1" style={heading}>
        {`${alert.scenario} on ${alert.entityName}`}
      </Heading>
      <Text style={paragraph}>
        {sentence(description)} in vault <strong>{vaultLabel(vault)}</strong>.
      </Text>
      <Fields rows={alertFacts(alert, vault)} />
      <ErrorBlock code={alert.errorCode} message={alert.errorMessage} />
      <AlertLinks url={url} />
    </Layout>
  );
}
