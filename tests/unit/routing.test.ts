import { describe, expect, it } from 'vitest';
import { digestPlan, routeAlertEvent, welcomeTargets, type RoutingInput, type RoutingSettings } from '../../domain/routing';

const settings = (over: Partial<RoutingSettings> = {}): RoutingSettings => ({
  enabled: true, recipients: ['ops@contoso.com'], frequency: 'PerAlert', minSeverity: 'Informational', notifyOnResolved: false, ...over,
});
const hook = (over: Partial<RoutingInput['webhooks'][number]> = {}) => ({
  id: 'h1', url: 'https://hooks.example.com/a', events: ['alert.raised', 'alert.resolved'], minSeverity: 'Informational' as const, enabled: true, ...over,
});
const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  event: 'alert.raised', alert: { severity: 'Critical', destructive: false, suppressed: false },
  settings: settings(), contacts: ['owner@contoso.com'], webhooks: [], ...over,
});
const targets = (i: RoutingInput) => routeAlertEvent(i).deliveries.map((d) => `${d.channel}:${d.target}:${d.reason}`);

describe('routeAlertEvent', () => {
  it.each<[string, Partial<RoutingInput>, string[]]>([
    ['PerAlert emails every recipient', {}, ['email:ops@contoso.com:PerAlert']],
    ['no settings: nothing', { settings: null }, []],
    ['disabled settings: nothing', { settings: settings({ enabled: false }) }, []],
    ['HourlyDigest: no per-alert email', { settings: settings({ frequency: 'HourlyDigest' }) }, []],
    ['settings floor above the severity', { alert: { severity: 'Warning', destructive: false, suppressed: false }, settings: settings({ minSeverity: 'Critical' }) }, []],
    ['a recipient floor replaces the settings floor (lower)', {
      alert: { severity: 'Warning', destructive: false, suppressed: false },
      settings: settings({ minSeverity: 'Critical', recipients: ['a@x.com', { address: 'b@x.com', minSeverity: 'Warning' }] }),
    }, ['email:b@x.com:PerAlert']],
    ['a recipient floor replaces the settings floor (higher)', {
      alert: { severity: 'Warning', destructive: false, suppressed: false },
      settings: settings({ recipients: ['a@x.com', { address: 'b@x.com', minSeverity: 'Critical' }] }),
    }, ['email:a@x.com:PerAlert']],
    ['destructive: contacts (deduplicated) plus recipients, floors ignored', {
      alert: { severity: 'Critical', destructive: true, suppressed: false }, contacts: ['owner@contoso.com', 'OWNER@contoso.com', 'co@contoso.com'],
      settings: settings({ minSeverity: 'Critical' }),
    }, ['email:owner@contoso.com:DestructiveNotice', 'email:co@contoso.com:DestructiveNotice', 'email:ops@contoso.com:PerAlert']],
    ['destructive without settings still reaches contacts', { alert: { severity: 'Critical', destructive: true, suppressed: false }, settings: null }, ['email:owner@contoso.com:DestructiveNotice']],
    ['suppressed: nothing', { alert: { severity: 'Critical', destructive: false, suppressed: true }, webhooks: [hook()] }, []],
    ['suppressed destructive: only the notice', { alert: { severity: 'Critical', destructive: true, suppressed: true }, webhooks: [hook()] }, ['email:owner@contoso.com:DestructiveNotice']],
    ['webhook subscribed', { settings: null, webhooks: [hook()] }, ['webhook:https://hooks.example.com/a:WebhookSubscribed']],
    ['webhook disabled', { settings: null, webhooks: [hook({ enabled: false })] }, []],
    ['webhook below its floor', { settings: null, alert: { severity: 'Warning', destructive: false, suppressed: false }, webhooks: [hook({ minSeverity: 'Critical' })] }, []],
    ['webhook not subscribed to the event', { settings: null, event: 'alert.acknowledged', webhooks: [hook()] }, []],
    ['acknowledged: webhook that asks, never email', { event: 'alert.acknowledged', webhooks: [hook({ events: ['alert.acknowledged'] })] }, ['webhook:https://hooks.example.com/a:WebhookSubscribed']],
    ['resolved without notifyOnResolved: webhooks only', { event: 'alert.resolved', emailed: ['ops@contoso.com'], webhooks: [hook()] }, ['webhook:https://hooks.example.com/a:WebhookSubscribed']],
    ['resolved with notifyOnResolved: only recipients emailed before', {
      event: 'alert.resolved', emailed: ['OPS@contoso.com'], settings: settings({ notifyOnResolved: true, recipients: ['ops@contoso.com', 'new@contoso.com'] }),
    }, ['email:ops@contoso.com:NotifyOnResolved']],
    ['resolved with notifyOnResolved, never emailed: nothing', { event: 'alert.resolved', settings: settings({ notifyOnResolved: true }) }, []],
    ['resolved of a suppressed alert: nothing', { event: 'alert.resolved', alert: { severity: 'Critical', destructive: false, suppressed: true }, emailed: ['ops@contoso.com'], settings: settings({ notifyOnResolved: true }), webhooks: [hook()] }, []],
  ])('%s', (_, over, expected) => {
    expect(targets(input(over))).toEqual(expected);
  });

  it('says why each target was left out', () => {
    const decision = routeAlertEvent(input({ alert: { severity: 'Informational', destructive: false, suppressed: false }, settings: settings({ minSeverity: 'Warning' }), webhooks: [hook({ enabled: false })] }));
    expect(decision.skipped).toEqual([{ target: 'ops@contoso.com', reason: 'BelowFloor' }, { target: 'https://hooks.example.com/a', reason: 'WebhookDisabled' }]);
  });

  it('puts an HourlyDigest alert in the digest, not when suppressed or disabled', () => {
    expect(routeAlertEvent(input({ settings: settings({ frequency: 'HourlyDigest' }) })).digest).toBe(true);
    expect(routeAlertEvent(input({ settings: settings({ frequency: 'HourlyDigest' }), alert: { severity: 'Critical', destructive: false, suppressed: true } })).digest).toBe(false);
    expect(routeAlertEvent(input({ settings: settings({ frequency: 'HourlyDigest', enabled: false }) })).digest).toBe(false);
    expect(routeAlertEvent(input({ event: 'alert.resolved', settings: settings({ frequency: 'HourlyDigest' }) })).digest).toBe(false);
  });
});

describe('digestPlan', () => {
  const alerts = [{ id: 'c', severity: 'Critical' as const }, { id: 'w', severity: 'Warning' as const }, { id: 'i', severity: 'Informational' as const }];
  it.each<[string, RoutingSettings | null, [string, string[]][]]>([
    ['everyone gets everything by default', settings({ recipients: ['a@x.com', 'b@x.com'] }), [['a@x.com', ['c', 'w', 'i']], ['b@x.com', ['c', 'w', 'i']]]],
    ['floors per recipient; nothing left: no digest', settings({ minSeverity: 'Warning', recipients: ['a@x.com', { address: 'b@x.com', minSeverity: 'Critical' }, { address: 'c@x.com', minSeverity: 'Informational' }] }), [['a@x.com', ['c', 'w']], ['b@x.com', ['c']], ['c@x.com', ['c', 'w', 'i']]]],
    ['disabled: nobody', settings({ enabled: false }), []],
    ['no settings: nobody', null, []],
    ['case-insensitive duplicates once', settings({ recipients: ['a@x.com', 'A@x.com'] }), [['a@x.com', ['c', 'w', 'i']]]],
  ])('%s', (_, s, expected) => {
    expect(digestPlan(s, alerts).map((p) => [p.target, p.alerts.map((a) => a.id)])).toEqual(expected);
  });
  it('sends nobody a digest of alerts all below its floor', () => {
    expect(digestPlan(settings({ minSeverity: 'Critical' }), [{ id: 'w', severity: 'Warning' }])).toEqual([]);
  });
});

describe('welcomeTargets', () => {
  it.each<[string, RoutingSettings | null, RoutingSettings, string[]]>([
    ['first save welcomes everyone', null, settings({ recipients: ['a@x.com', { address: 'b@x.com', minSeverity: 'Critical' }] }), ['a@x.com', 'b@x.com']],
    ['only new addresses, case-insensitively', settings({ recipients: ['a@x.com'] }), settings({ recipients: ['A@x.com', 'c@x.com'] }), ['c@x.com']],
    ['a floor change is not a new recipient', settings({ recipients: ['a@x.com'] }), settings({ recipients: [{ address: 'a@x.com', minSeverity: 'Critical' }] }), []],
    ['re-enabling welcomes everyone', settings({ enabled: false }), settings(), ['ops@contoso.com']],
    ['disabled settings welcome nobody', null, settings({ enabled: false }), []],
  ])('%s', (_, before, after, expected) => {
    expect(welcomeTargets(before, after)).toEqual(expected);
  });
});
