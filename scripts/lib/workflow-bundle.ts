// Builds the workflow bundle in a child process, so webpack's memory leaves with it and the worker
// processes started next load the file (WORKFLOW_BUNDLE_PATH) without bundling.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function buildWorkflowBundleFile(path?: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-workflows.ts', ...(path ? [path] : [])], {
    cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`workflow bundle failed (exit ${code}): ${stderr.slice(-2000)}`);
  return stdout.trim().split('\n').pop()!;
}
