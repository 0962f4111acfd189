import { Heading, Section, Text } from '@react-email/components';
import { SCENARIOS, type Frequency } from '../domain/types';
import { Layout, SeverityBadge, heading, muted, paragraph } from './components/Layout';
import { SCENARIO_DESCRIPTION, alertListUrl, describeInterval, oneLine, vaultLabel } from './format';
import type { TemplateProps, WelcomeEmailProps } from './types';

export function welcomeSubject({ vault }: WelcomeEmailProps): string {
  return `You will now receive backup alerts for vault ${vaultLabel(vault)}`;
}

function frequencyText(frequency: Frequency, intervalMs?: number): string {
  switch (frequency) {
    case 'PerAlert':
      return 'You will get one email for every new alert, as soon as it is raised. A problem that keeps recurring with the same cause is reported once until the alert is inactivated.';
    case 'HourlyDigest': {
      const every = describeInterval(intervalMs);
      return `You will get at most one digest email per ${every}, listing the alerts raised during that ${every} that are still active when it is sent. If there are none, no email is sent.`;
    }
  }
}

const DESTRUCTIVE_NOTE =
  'Notices about deleted backup data always go to the subscription owners, admins and co-admins as well.';

export function welcomeText({ vault, recipient, frequency, digestIntervalMs, publicUrl }: TemplateProps<'welcome'>): string {
  const lines = [
    welcomeSubject({ vault, recipient, frequency }),
    '',
    `${oneLine(recipient)} was added as a notification recipient of backup vault ${vaultLabel(vault)}.`,
    '',
    `Frequency: ${frequency === 'PerAlert' ? 'one email per alert (PerAlert)' : `a digest every ${describeInterval(digestIntervalMs)} (HourlyDigest)`}`,
    frequencyText(frequency, digestIntervalMs),
    '',
    'You will be alerted when:',
    ...SCENARIOS.map((scenario) => `  - [${SCENARIO_DESCRIPTION[scenario].severity}] ${SCENARIO_DESCRIPTION[scenario].text} (${scenario})`),
    '',
    DESTRUCTIVE_NOTE,
    `Current alerts: ${alertListUrl(publicUrl, vault.id, { status: 'Active' })}`,
    '',
    'If you did not expect this, ask an administrator of the vault to remove you from its recipients.',
    '',
    'Sent by Backup Monitor. Times are in UTC.',
  ];
  return `${lines.join('\n')}\n`;
}

export default function WelcomeEmail(props: TemplateProps<'welcome'>) {
  const { vault, recipient, frequency, digestIntervalMs, publicUrl } = props;
  return (
    <Layout
      preview={`You were added to the alert emails of vault ${vaultLabel(vault)}`}
      footer={
        <Text style={muted}>
          If you did not expect this, ask an administrator of the vault to remove you from its recipients.
        </Text>
      }
    >
      <Heading as="h1" style={heading}>
        {`Welcome to the alerts of vault ${vaultLabel(vault)}`}
      </Heading>
      <Text style={paragraph}>
        <strong>{recipient}</strong> was added as a notification recipient of backup vault{' '}
        <strong>{vaultLabel(vault)}</strong>.
      </Text>
      <Text style={paragraph}>
        <strong>{frequency === 'PerAlert' ? 'Every alert: ' : 'Digest: '}</strong>
        {frequencyText(frequency, digestIntervalMs)}
      </Text>
      <Text style={paragraph}>You will be alerted when:</Text>
      <Section>
        <ul style={{ margin: '0 0 12px', paddingLeft: 20 }}>
          {SCENARIOS.map((scenario) => (
            <li key={scenario} style={{ fontSize: 14, lineHeight: '24px' }}>
              <SeverityBadge severity={SCENARIO_DESCRIPTION[scenario].severity} /> {SCENARIO_DESCRIPTION[scenario].text}
            </li>
          ))}
        </ul>
      </Section>
      <Text style={paragraph}>{DESTRUCTIVE_NOTE}</Text>
      <Text style={muted}>{`Current alerts: ${alertListUrl(publicUrl, vault.id, { status: 'Active' })}`}</Text>
    </Layout>
  );
}
