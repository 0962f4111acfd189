import { render } from '@react-email/render';
import { createElement, type ReactElement } from 'react';
import AlertEmail, { alertSubject, alertText } from './AlertEmail';
import DestructiveNoticeEmail, { destructiveSubject, destructiveText } from './DestructiveNoticeEmail';
import DigestEmail, { digestSubject, digestText } from './DigestEmail';
import { sanitizeSubject } from './format';
import WeeklyReportEmail, { reportSubject, reportText } from './WeeklyReportEmail';
import ResolvedEmail, { resolvedSubject, resolvedText } from './ResolvedEmail';
import WelcomeEmail, { welcomeSubject, welcomeText } from './WelcomeEmail';
import type { EmailKind, EmailPropsByKind, RenderOptions, RenderedEmail, TemplateProps } from './types';

interface Template<K extends EmailKind> {
  subject(props: EmailPropsByKind[K]): string;
  // The plain-text part is written by hand rather than derived from the HTML: tables and badges
  // converted by html-to-text read poorly, and the text part is what many pagers and filters see.
  text(props: TemplateProps<K>): string;
  element(props: TemplateProps<K>): ReactElement;
}

const TEMPLATES: { [K in EmailKind]: Template<K> } = {
  alert: { subject: alertSubject, text: alertText, element: (props) => createElement(AlertEmail, props) },
  resolved: { subject: resolvedSubject, text: resolvedText, element: (props) => createElement(ResolvedEmail, props) },
  digest: { subject: digestSubject, text: digestText, element: (props) => createElement(DigestEmail, props) },
  welcome: { subject: welcomeSubject, text: welcomeText, element: (props) => createElement(WelcomeEmail, props) },
  report: { subject: reportSubject, text: reportText, element: (props) => createElement(WeeklyReportEmail, props) },
  destructive: {
    subject: destructiveSubject,
    text: destructiveText,
    element: (props) => createElement(DestructiveNoticeEmail, props),
  },
};

/** Renders one email: a header-safe subject, the HTML part and the plain-text part. */
export async function renderEmail<K extends EmailKind>(
  kind: K,
  props: EmailPropsByKind[K],
  options: RenderOptions,
): Promise<RenderedEmail> {
  const template = TEMPLATES[kind] as Template<K> | undefined;
  if (!template) throw new Error(`Unknown email kind "${String(kind)}"`);
  const full = { ...props, publicUrl: options.publicUrl } as TemplateProps<K>;
  const html = await render(template.element(full));
  return { subject: sanitizeSubject(template.subject(props)), html, text: template.text(full) };
}
