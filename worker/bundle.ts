// The workflow bundle, built before the worker starts. The SDK's bundler logs webpack's whole
// asset and module listing at INFO on every start; it is noise to anyone but a bundler debugger,
// so its INFO lines go to debug while warnings and errors stay visible.
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { pinoSdkLogger } from './sdk-logger';
import { WORKFLOWS_PATH } from './create-worker';

export function buildWorkflowBundle(log: Logger): Promise<WorkflowBundleWithSourceMap> {
  const sdk = pinoSdkLogger(log);
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { ...sdk, log: (level, message, meta) => sdk.log(level === 'INFO' ? 'DEBUG' : level, message, meta), info: sdk.debug },
  });
}
