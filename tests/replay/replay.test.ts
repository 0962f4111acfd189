// Deploy safety (§8): today's workflow code must replay every recorded history. A failure here
// means a change to the commands a workflow issues was not versioned with patched(): running
// workflows would fail with a nondeterminism error after the deploy. See docs/notes/reliability.md.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { recordedHistories } from './history-file';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const bundle = (workflowsPath: string) => bundleWorkflowCode({ workflowsPath, logger: quiet });
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/index.ts`, import.meta.url));
const histories = recordedHistories();

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already in this process
  }
});

describe('replay of recorded histories', () => {
  it('covers every workflow type the worker runs', async () => {
    const workflows = await import('../../workflows');
    expect(new Set(histories.map((h) => h.workflowType))).toEqual(new Set(Object.keys(workflows)));
  });

  it('today\'s workflows replay every recorded history without nondeterminism', async () => {
    const workflowBundle = await bundle(WORKFLOWS_PATH);
    const failures: string[] = [];
    const results = Worker.runReplayHistories({ workflowBundle }, histories.map((h) => ({ workflowId: `${h.workflowType}/${h.name}`, history: h.history })));
    let replayed = 0;
    for await (const result of results) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  }, 180_000);
});

describe('the replay test bites', () => {
  const recorded = histories.find((h) => h.workflowType === 'backupJob' && h.name === 'failed-alert-handed-to-vault')!;
  let unversioned: WorkflowBundleWithSourceMap;
  let versioned: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    [unversioned, versioned] = [await bundle(fixture('unversioned')), await bundle(fixture('versioned'))];
  }, 180_000);

  it('an unversioned extra activity fails replay with a DeterminismViolation', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: unversioned }, recorded.history, 'fixture'))
      .rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('the same change behind patched() replays', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: versioned }, recorded.history, 'fixture')).resolves.toBeUndefined();
  });
});
