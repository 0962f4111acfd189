// The namespace and the search attributes of a fresh cluster, created with the Temporal CLI (the
// same commands an operator runs against a production cluster: docs/deploy.md).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/definitions';

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function cli(cliPath: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec(cliPath, args, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`temporal ${args.slice(0, 3).join(' ')} failed: ${(stderr || stdout || String(error)).trim()}`);
  }
}

async function retry<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

/** Namespace (1-day retention) and search attributes, each created only when missing. */
export async function setUpNamespace(cliPath: string, flags: string[], namespace: string, say: (line: string) => void) {
  const described = await cli(cliPath, ['operator', 'namespace', 'describe', '--namespace', namespace, ...flags]).catch(() => null);
  if (!described) {
    say(`creating namespace ${namespace}`);
    await cli(cliPath, ['operator', 'namespace', 'create', '--namespace', namespace, '--retention', '24h', ...flags]);
  }
  // A new namespace reaches the frontend's namespace cache within ~10 s: retry until it does.
  const listed = JSON.parse(await retry(() => cli(cliPath, ['operator', 'search-attribute', 'list', '--namespace', namespace, '--output', 'json', ...flags]), 30_000));
  const present = new Set<string>(Object.keys(listed?.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !present.has(name));
  if (missing.length === 0) return;
  say(`creating search attributes ${missing.join(', ')}`);
  await cli(cliPath, ['operator', 'search-attribute', 'create', '--namespace', namespace,
    ...missing.flatMap((name) => ['--name', name, '--type', 'Keyword']), ...flags]);
  // Every service caches the search-attribute list for up to 60 s; once, on a new database, wait it out.
  say('waiting 65 s for the services to see the new search attributes (first start on new databases only)');
  await sleep(65_000);
}
