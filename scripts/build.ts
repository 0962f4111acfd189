// npm run build: what production runs, built once: the workflow bundle (dist/workflow-bundle.js) and
// the worker and API compiled to dist/worker.mjs and dist/api.mjs. Start them with
// `npm run start:worker` and `npm run start:api` (docs/deploy.md).
import { createLogger } from '../config/logger';
import { writeWorkflowBundle } from '../worker/bundle';
import { buildServices } from './lib/build-services';

const log = createLogger('build');
const bundle = await writeWorkflowBundle(log);
const { worker, api } = await buildServices();
process.stdout.write(`${bundle}\n${worker}\n${api}\n`);
