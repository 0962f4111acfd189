import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalConnectionFromEnv } from '../../config/temporal';

describe('Temporal connection from the environment (§5)', () => {
  it('defaults to the local dev server', () => {
    const settings = temporalConnectionFromEnv({});
    expect(settings.connectionOptions.address).toBe('localhost:7233');
    expect(settings.namespace).toBe('default');
    expect(settings.connectionOptions.tls).toBeFalsy();
    expect(settings.describe).toBe('localhost:7233 (namespace default, plaintext)');
  });

  it('reads address, namespace and an API key (Temporal Cloud) without printing the key', () => {
    const settings = temporalConnectionFromEnv({
      TEMPORAL_ADDRESS: 'prod.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'prod.a1b2c', TEMPORAL_API_KEY: 'secret-key',
    });
    expect(settings.connectionOptions).toMatchObject({ address: 'prod.a1b2c.tmprl.cloud:7233', apiKey: 'secret-key' });
    expect(settings.connectionOptions.tls).toBeTruthy();
    expect(settings.namespace).toBe('prod.a1b2c');
    expect(settings.describe).not.toContain('secret-key');
  });

  it('builds mTLS from certificate files and names the server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    for (const name of ['cert.pem', 'key.pem', 'ca.pem']) writeFileSync(join(dir, name), `-----BEGIN ${name}-----\n`);
    const settings = temporalConnectionFromEnv({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'cert.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'key.pem'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const tls = settings.connectionOptions.tls as { serverNameOverride?: string; clientCertPair?: unknown };
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(tls.clientCertPair).toBeTruthy();
    expect(settings.describe).toContain('mTLS');
  });

  it('refuses a certificate path that does not exist, naming the variable', () => {
    expect(() => temporalConnectionFromEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/nope/cert.pem' })).toThrow(/TEMPORAL_TLS_CLIENT_CERT_PATH: no file/);
  });
});
