import { createServer } from 'node:net';
import { ensureTemporalCli } from './lib/temporal-cli';
import { startDevServer } from './lib/dev-server';
const srv = createServer().listen(45999, '127.0.0.1');
try { await startDevServer({ cliPath: await ensureTemporalCli(), port: 45999, uiPort: 45998 }); } catch (e) { console.log(String(e).slice(0, 1500)); }
srv.close();
