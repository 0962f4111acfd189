// npm run build:workflows [-- <path>]: bundles the workflow code once (default dist/workflow-bundle.js)
// so workers start without webpack; point a worker at it with WORKFLOW_BUNDLE_PATH. Prints the path.
import { createLogger } from '../config/logger';
import { writeWorkflowBundle } from '../worker/bundle';

const log = createLogger('bundle');
const path = await writeWorkflowBundle(log, process.argv[2]);
process.stdout.write(`${path}\n`);
