import os from 'node:os';
import type postgres from 'postgres';
import type { BenchArgs } from './lib/args';
import type { LifecycleResult } from './lifecycle';
import type { FloorResult } from './floor';
import type { SeedResult } from './seed';
import type { ApiLoadResult } from './api-load';
import type { FloodResult } from './digest-flood';
export interface BenchReport {
  machine: unknown; args: BenchArgs; temporalStore: string; startedAt: string; totalMs: number; loadBefore: Record<string, number>;
  lifecycle?: LifecycleResult; lifecycleAtRate?: LifecycleResult; floor?: FloorResult; seed?: SeedResult; api?: ApiLoadResult; flood?: FloodResult;
  workerRssMaxBytes?: number;
}
export async function collectMachine(_sql: postgres.Sql, _cli: string) { return { cores: os.cpus().length }; }
export function renderTable(report: BenchReport): string { return JSON.stringify(report, null, 2); }
export function renderReport(_r: BenchReport, table: string): string { return table; }
