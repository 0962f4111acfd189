import { facts, headline, type WebhookFormatter } from './webhook-format';

// Slack's mrkdwn treats &, < and > as control characters.
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook message: `text` as the notification fallback, blocks for the layout. */
export const slackFormat: WebhookFormatter = {
  render: (event) => JSON.stringify({
    text: escape(headline(event)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline(event).slice(0, 150) } },
      { type: 'section', fields: facts(event).map((f) => ({ type: 'mrkdwn', text: `*${escape(f.title)}*\n${escape(f.value)}` })) },
      ...(event.alert?.errorMessage ? [{ type: 'section', text: { type: 'mrkdwn', text: escape(event.alert.errorMessage) } }] : []),
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Backup Monitor' }, url: event.link }] },
    ],
  }),
};
