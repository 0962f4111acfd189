import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterPortsFromEnv, DEFAULT_CLUSTER_PORTS } from '../../scripts/lib/cluster';

describe('local cluster settings', () => {
  it('every port is configurable and validated', () => {
    expect(clusterPortsFromEnv({})).toEqual(DEFAULT_CLUSTER_PORTS);
    expect(clusterPortsFromEnv({ CLUSTER_FRONTEND_PORT: '17233', CLUSTER_HISTORY_MEMBERSHIP_PORT: '16934' }))
      .toMatchObject({ FRONTEND: 17233, HISTORY_MEMBERSHIP: 16934, MATCHING: DEFAULT_CLUSTER_PORTS.MATCHING });
    expect(() => clusterPortsFromEnv({ CLUSTER_METRICS_PORT: '70000' })).toThrow(/CLUSTER_METRICS_PORT: "70000" is not a port/);
    expect(() => clusterPortsFromEnv({ CLUSTER_WORKER_MEMBERSHIP_PORT: '40000' })).toThrow(/above 32767/);
  });

  it('the committed server config reads each port from its CLUSTER_*_PORT variable', () => {
    const config = readFileSync(new URL('../../config/temporal-cluster/base.yaml', import.meta.url), 'utf8');
    expect(config.split('\n')[0]).toBe('# enable-template');
    expect(config).toMatch(/numHistoryShards: 16\b/);
    for (const name of Object.keys(DEFAULT_CLUSTER_PORTS)) expect(config, name).toContain(`env "CLUSTER_${name}_PORT"`);
  });
});
