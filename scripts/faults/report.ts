import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../../docs/reliability.md', import.meta.url));
const HEADER = `# Fault suite runs (\`npm run test:faults\`)

Each run: jobs over several vaults (PerAlert and HourlyDigest, standard webhooks, silences, a
missed-backup watch) while the worker is SIGKILLed twice, the Temporal dev server restarts (file
persistence), Postgres is unreachable for 20 s (a TCP proxy cut between the stack and Postgres),
the email endpoint answers 500/429/hangs and webhook endpoints answer 500 and hang. Then every job,
alert, email and webhook is checked against a model of the rules (scripts/faults/check.ts). Appended by \`--record\`.
`;

export function recordRun(run: { profile: string; faults: string[]; counts: Record<string, number>; failures: string[]; durationMs: number }) {
  if (!existsSync(FILE)) writeFileSync(FILE, HEADER);
  const machine = `${hostname()} (${platform()} ${release()}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB)`;
  const rows = Object.entries(run.counts).map(([k, v]) => `| ${k} | ${v} |`).join('\n');
  appendFileSync(FILE, `
## ${new Date().toISOString()}: profile \`${run.profile}\`, ${run.failures.length === 0 ? 'PASS' : `FAIL (${run.failures.length})`}

Machine: ${machine}. Duration: ${Math.round(run.durationMs / 1000)} s.
Faults: ${run.faults.join('; ')}.

| count | value |
|---|---|
${rows}
${run.failures.length ? `\nFirst failures:\n${run.failures.slice(0, 10).map((f) => `- ${f}`).join('\n')}\n` : ''}`);
}
