// Re-renders docs/benchmarks.md from the last run's .data/bench/report.json (after editing the
// report or findings code), without running the bench again: `npx tsx bench/render.ts [report.json] [out.md]`.
// The out file defaults to the run's --out (docs/benchmarks.md); its hand-kept end is kept.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './lib/stack';
import { renderTable, type BenchReport } from './report';
import { renderReport, writeReportPage } from './report-page';

const path = process.argv[2] ?? join(ROOT, '.data', 'bench', 'report.json');
const raw = JSON.parse(readFileSync(path, 'utf8'));
const report: BenchReport = { ...raw, args: { ...raw.args, phases: new Set(raw.args.phases) } };
const out = process.argv[3] ? resolve(process.argv[3]) : join(ROOT, report.args.out);
const table = renderTable(report);
writeReportPage(out, renderReport(report, table));
process.stdout.write(`${table}\n\nwrote ${out}\n`);
