// The frame every email shares. Inline styles only: most mail clients drop <style> blocks.
import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';
import type { CSSProperties, ReactNode } from 'react';
import type { Severity } from '../../domain/types';
import { SEVERITY_COLOR } from '../format';

const body: CSSProperties = {
  backgroundColor: '#f4f5f7',
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  margin: 0,
  padding: '24px 0',
};
const container: CSSProperties = {
  backgroundColor: '#ffffff',
  border: '1px solid #e4e7ec',
  borderRadius: 8,
  maxWidth: 640,
  padding: '24px 28px',
};
export const muted: CSSProperties = { color: '#667085', fontSize: 12, lineHeight: '18px', margin: '4px 0' };
export const paragraph: CSSProperties = { color: '#101828', fontSize: 14, lineHeight: '22px', margin: '12px 0' };
export const heading: CSSProperties = { color: '#101828', fontSize: 20, lineHeight: '28px', margin: '8px 0 16px' };
export const link: CSSProperties = { color: '#175cd3', textDecoration: 'underline' };

export function Layout(props: { preview: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          {props.children}
          <Hr style={{ borderColor: '#e4e7ec', margin: '24px 0 12px' }} />
          {props.footer}
          <Text style={muted}>Sent by Backup Monitor. Times are in UTC.</Text>
        </Container>
      </Body>
    </Html>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const style: CSSProperties = {
    backgroundColor: SEVERITY_COLOR[severity],
    borderRadius: 4,
    color: '#ffffff',
    display: 'inline-block',
    fontSize: 12,
    fontWeight: 600,
    padding: '2px 8px',
  };
  return <span style={style}>{severity}</span>;
}

/** A two-column label/value table; values are React children, so untrusted text stays escaped. */
export function Fields({ rows }: { rows: Array<[label: string, value: ReactNode]> }) {
  const cell: CSSProperties = { borderBottom: '1px solid #f2f4f7', fontSize: 14, padding: '6px 0', verticalAlign: 'top' };
  return (
    <Section>
      <table role="presentation" width="100%" cellPadding={0} cellSpacing={0}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <td style={{ ...cell, color: '#667085', width: 150 }}>{label}</td>
              <td style={{ ...cell, color: '#101828', wordBreak: 'break-word' }}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function ErrorBlock({ code, message }: { code: string | null; message: string | null }) {
  if (!code && !message) return null;
  const style: CSSProperties = {
    backgroundColor: '#fef3f2',
    border: '1px solid #fecdca',
    borderRadius: 6,
    color: '#7a271a',
    fontFamily: 'SFMono-Regular, Consolas, "Liberation Mono", monospace',
    fontSize: 13,
    lineHeight: '20px',
    margin: '16px 0',
    padding: '10px 12px',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  };
  return (
    <Section style={style}>
      {code ? <strong>{code}</strong> : null}
      {code && message ? <br /> : null}
      {message}
    </Section>
  );
}

export function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  const style: CSSProperties = {
    backgroundColor: '#175cd3',
    borderRadius: 6,
    color: '#ffffff',
    display: 'inline-block',
    fontSize: 14,
    fontWeight: 600,
    padding: '10px 16px',
    textDecoration: 'none',
  };
  return (
    <Link href={href} style={style}>
      {children}
    </Link>
  );
}

/** The call to action every alert email ends with: a button, and the address for plain clients. */
export function AlertLinks({ url }: { url: string }) {
  return (
    <>
      <Section style={{ margin: '20px 0 8px' }}>
        <ButtonLink href={url}>View the alert</ButtonLink>
      </Section>
      <Text style={muted}>
        Or open{' '}
        <Link href={url} style={link}>
          {url}
        </Link>
      </Text>
    </>
  );
}
