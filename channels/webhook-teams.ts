import { facts, headline, type WebhookFormatter } from './webhook-format';

/** A Teams (Workflows / incoming webhook) message carrying one Adaptive Card. */
export const teamsFormat: WebhookFormatter = {
  render: (event) => JSON.stringify({
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: headline(event) },
          { type: 'FactSet', facts: facts(event) },
          ...(event.alert?.errorMessage ? [{ type: 'TextBlock', wrap: true, text: event.alert.errorMessage }] : []),
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Open in Backup Monitor', url: event.link }],
      },
    }],
  }),
};
