// §5: the Temporal connection follows Temporal's own environment configuration (the variables and
// TOML profiles the CLI and every SDK read), so a deployment moves from the dev server to a
// self-hosted cluster or Temporal Cloud by environment alone.
import { existsSync } from 'node:fs';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalConnectionSettings {
  connectionOptions: NativeConnectionOptions & { address: string };
  namespace: string;
  /** For banners and logs: never the key or certificate contents. */
  describe: string;
}

const FILE_VARIABLES = [
  'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_CONFIG_FILE',
] as const;

/** Reads the Temporal connection from the environment; throws a readable error for a bad setting. */
export function temporalConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  for (const name of FILE_VARIABLES) {
    const path = env[name];
    if (path && !existsSync(path)) throw new Error(`${name}: no file at ${path}`);
  }
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  let loaded;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars, disableFile: !env.TEMPORAL_CONFIG_FILE });
  } catch (error) {
    throw new Error(`Temporal connection settings: ${(error as Error).message}`);
  }
  const address = loaded.connectionOptions.address ?? 'localhost:7233';
  const namespace = loaded.namespace ?? 'default';
  const options = { ...loaded.connectionOptions, address };
  const tls = options.tls ? (options.tls === true || !options.tls.clientCertPair ? 'TLS' : 'mTLS') : 'plaintext';
  const auth = options.apiKey ? ', API key' : '';
  return { connectionOptions: options, namespace, describe: `${address} (namespace ${namespace}, ${tls}${auth})` };
}
