import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devTokenPath, ensureDevAdminToken, readDevAdminToken } from '../../scripts/lib/dev-token';

describe('the development admin token of npm start', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dev-token-'));
    roots.push(dir);
    return dir;
  };
  afterEach(() => roots.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is made once, readable by its owner only, and reused', () => {
    const dir = root();
    expect(readDevAdminToken(dir)).toBeNull();
    const first = ensureDevAdminToken(dir);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^bm_[A-Za-z0-9_-]{43}$/);
    expect(statSync(devTokenPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(devTokenPath(dir), 'utf8').trim()).toBe(first.token);
    expect(ensureDevAdminToken(dir)).toEqual({ token: first.token, created: false });
    expect(readDevAdminToken(dir)).toBe(first.token);
  });

  it('is replaced when the kept file holds no usable token', () => {
    const dir = root();
    ensureDevAdminToken(dir);
    writeFileSync(devTokenPath(dir), 'short\n');
    const next = ensureDevAdminToken(dir);
    expect(next.created).toBe(true);
    expect(next.token).not.toBe('short');
  });
});
