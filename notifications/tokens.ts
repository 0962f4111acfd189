// A wake-up for a vault's digest window, carried in the id list that planning returns, so that
// every caller of planAlertEvent / dispatchDeliveries gets digests right without knowing of them.
const PREFIX = 'digest-window/';

export const windowWakeToken = (vaultId: string, windowEndMs: number) => `${PREFIX}${windowEndMs}/${vaultId}`;

export function parseWindowWakeToken(token: string): { vaultId: string; windowEndMs: number } | null {
  if (!token.startsWith(PREFIX)) return null;
  const rest = token.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const windowEndMs = Number(rest.slice(0, slash));
  if (slash < 0 || !Number.isSafeInteger(windowEndMs)) return null;
  return { vaultId: rest.slice(slash + 1), windowEndMs };
}
