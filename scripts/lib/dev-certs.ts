// Throw-away certificates for the local cluster's mTLS mode and its test. Node's crypto cannot
// issue X.509 certificates, so this drives `openssl` (present on Linux and macOS machines).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface DevCertificates {
  dir: string;
  /** The CA the server trusts for clients and the clients trust for the server. */
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Signed by the CA: accepted. */
  clientCert: string;
  clientKey: string;
  /** Signed by another CA the server does not trust: refused. */
  rogueClientCert: string;
  rogueClientKey: string;
  /** The name in the server certificate (also 127.0.0.1 as an IP SAN). */
  serverName: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await exec('openssl', args, { cwd });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed (is openssl installed?): ${detail}`);
  }
}

async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

async function makeLeaf(dir: string, name: string, ca: string, extensions: string): Promise<void> {
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '30', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

/** Writes a CA, a server pair, a client pair and a client pair from an untrusted CA into `dir`. */
export async function generateDevCertificates(dir: string, serverName = 'localhost'): Promise<DevCertificates> {
  await mkdir(dir, { recursive: true });
  await makeCa(dir, 'ca');
  await makeCa(dir, 'rogue-ca');
  await makeLeaf(dir, 'server', 'ca',
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n` +
    `subjectAltName=DNS:${serverName},IP:127.0.0.1\n`);
  const client = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  await makeLeaf(dir, 'client', 'ca', client);
  await makeLeaf(dir, 'rogue-client', 'rogue-ca', client);
  const at = (file: string) => join(dir, file);
  return {
    dir, serverName, caCert: at('ca.pem'), serverCert: at('server.pem'), serverKey: at('server.key'),
    clientCert: at('client.pem'), clientKey: at('client.key'),
    rogueClientCert: at('rogue-client.pem'), rogueClientKey: at('rogue-client.key'),
  };
}
