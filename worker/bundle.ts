// The workflow bundle. Webpack is heavy (about 100 MB of RSS that a worker process keeps for its
// whole life), so production workers load a bundle built once beforehand (`npm run build:workflows`,
// WORKFLOW_BUNDLE_PATH); a worker without one bundles in-process, which suits tests and hacking.
// The SDK's bundler logs webpack's whole asset and module listing at INFO; that is noise to anyone
// but a bundler debugger, so its INFO lines go to debug while warnings and errors stay visible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { pinoSdkLogger } from './sdk-logger';
import { WORKFLOWS_PATH } from './create-worker';

export const DEFAULT_BUNDLE_PATH = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

export function buildWorkflowBundle(log: Logger): Promise<WorkflowBundleWithSourceMap> {
  const sdk = pinoSdkLogger(log);
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { ...sdk, log: (level, message, meta) => sdk.log(level === 'INFO' ? 'DEBUG' : level, message, meta), info: sdk.debug },
  });
}

/** Bundles the workflows into one file a worker loads with `workflowBundle: { codePath }`. */
export async function writeWorkflowBundle(log: Logger, path = DEFAULT_BUNDLE_PATH): Promise<string> {
  const { code } = await buildWorkflowBundle(log);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return path;
}
