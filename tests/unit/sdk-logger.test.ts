import { LogTimestamp } from '@temporalio/worker';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { pinoSdkLogger, sdkLogLevel } from '../../worker/sdk-logger';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, sdk: pinoSdkLogger(log) };
}

describe('the Temporal SDK logger adapter', () => {
  it('writes one JSON line per message with the workflow ids the SDK attaches', () => {
    const { lines, sdk } = capture();
    sdk.info('alert raised', {
      sdkComponent: 'activity', workflowId: 'backup-job/prod/j-1', workflowRunId: 'run-1', activityType: 'raiseAlert',
      taskToken: 'Cg1hYmM=', [LogTimestamp]: 123n,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'alert raised', workflowId: 'backup-job/prod/j-1', workflowRunId: 'run-1', activityType: 'raiseAlert' });
    expect(lines[0]).not.toHaveProperty('taskToken');
  });

  it('maps levels and lets pino filter them', () => {
    const { lines, sdk } = capture('warn');
    sdk.debug('polling');
    sdk.info('worker state changed');
    sdk.warn('Activity failed');
    sdk.log('ERROR', 'workflow task failed');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, 'Activity failed'], [50, 'workflow task failed']]);
  });

  it('serializes an Error under err, with its message and stack', () => {
    const { lines, sdk } = capture();
    sdk.warn('Activity failed', { error: new Error('connection refused'), durationMs: 12 });
    expect(lines[0]).toMatchObject({ err: { message: 'connection refused', type: 'Error' }, durationMs: 12 });
    expect((lines[0]!.err as { stack: string }).stack).toContain('connection refused');
  });

  it('filters core messages at the level pino prints', () => {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(sdkLogLevel))
      .toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'ERROR', 'ERROR']);
  });
});
