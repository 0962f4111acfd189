import { Heading, Text } from '@react-email/components';
import { alertFacts } from './AlertEmail';
import { AlertLinks, ErrorBlock, Fields, Layout, SeverityBadge, heading, muted, paragraph } from './components/Layout';
import { alertUrl, multiLine, oneLine, vaultLabel } from './format';
import type { DestructiveNoticeEmailProps, DestructiveScenario, TemplateProps } from './types';

const WHAT_HAPPENED: Record<DestructiveScenario, { short: string; long: (item: string, vault: string) => string }> = {
  StopProtectionDeleteData: {
    short: 'protection stopped and backup data deleted',
    long: (item, vault) => `Protection of ${item} in vault ${vault} was stopped and its backup data was deleted.`,
  },
  DeleteBackupData: {
    short: 'backup data deleted',
    long: (item, vault) => `The backup data of ${item} in vault ${vault} was deleted.`,
  },
};

export function destructiveSubject({ alert, vault }: DestructiveNoticeEmailProps): string {
  const what = WHAT_HAPPENED[alert.scenario].short;
  return `[${alert.severity}] ${alert.scenario} on ${oneLine(alert.entityName)} in vault ${vaultLabel(vault)}: ${what}`;
}

function audience(vault: DestructiveNoticeEmailProps['vault']): string {
  const subscription = vault.subscriptionId ? `subscription ${oneLine(vault.subscriptionId)}` : "the vault's subscription";
  return `This notice goes to the owners, admins and co-admins of ${subscription}, whether or not the vault has notification settings.`;
}

const ADVICE =
  'If this operation was not expected, investigate now: find who started the job and review access to the vault. Deleted backup data may not be recoverable.';

export function destructiveText({ alert, vault, publicUrl }: TemplateProps<'destructive'>): string {
  const labelWidth = 16;
  const facts = alertFacts(alert, vault);
  if (vault.subscriptionId) facts.push(['Subscription', vault.subscriptionId]);
  const lines = [
    destructiveSubject({ alert, vault }),
    '',
    WHAT_HAPPENED[alert.scenario].long(oneLine(alert.entityName), vaultLabel(vault)),
    '',
    ...facts.map(([label, value]) => `${`${label}:`.padEnd(labelWidth)}${oneLine(value)}`),
  ];
  if (alert.errorCode) lines.push(`${'Error code:'.padEnd(labelWidth)}${oneLine(alert.errorCode)}`);
  if (alert.errorMessage) lines.push('Error message:', multiLine(alert.errorMessage));
  lines.push('', ADVICE, '', `View the alert: ${alertUrl(publicUrl, alert)}`, '', audience(vault), 'Sent by Backup Monitor. Times are in UTC.');
  return `${lines.join('\n')}\n`;
}

export default function DestructiveNoticeEmail({ alert, vault, publicUrl }: TemplateProps<'destructive'>) {
  const url = alertUrl(publicUrl, alert);
  const facts = alertFacts(alert, vault);
  if (vault.subscriptionId) facts.push(['Subscription', vault.subscriptionId]);
  return (
    <Layout
      preview={WHAT_HAPPENED[alert.scenario].long(alert.entityName, vaultLabel(vault))}
      footer={<Text style={muted}>{audience(vault)}</Text>}
    >
      <SeverityBadge severity={alert.severity} />
      <Heading as="h1" style={heading}>
        {`Destructive operation: ${alert.scenario} on ${alert.entityName}`}
      </Heading>
      <Text style={paragraph}>{WHAT_HAPPENED[alert.scenario].long(alert.entityName, vaultLabel(vault))}</Text>
      <Fields rows={facts} />
      <ErrorBlock code={alert.errorCode} message={alert.errorMessage} />
      <Text style={{ ...paragraph, color: '#b42318', fontWeight: 600 }}>{ADVICE}</Text>
      <AlertLinks url={url} />
    </Layout>
  );
}
