// `npm run temporal:cli`: prints the CLI's path (building it on first use), e.g. for
// `$(npm run -s temporal:cli) workflow list`.
import { ensureTemporalCli } from './lib/temporal-cli';

try {
  console.log(await ensureTemporalCli());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
