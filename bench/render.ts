// Re-renders docs/benchmarks.md from the last run's .data/bench/report.json (after editing the
// report or findings code), without running the bench again: `npx tsx bench/render.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/stack';
import { renderReport, renderTable, type BenchReport } from './report';

const path = process.argv[2] ?? join(ROOT, '.data', 'bench', 'report.json');
const raw = JSON.parse(readFileSync(path, 'utf8'));
const report: BenchReport = { ...raw, args: { ...raw.args, phases: new Set(raw.args.phases) } };
const table = renderTable(report);
writeFileSync(join(ROOT, report.args.out), renderReport(report, table));
process.stdout.write(`${table}\n`);
