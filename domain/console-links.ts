// The console's URL layout, in one place: the console's own links, every email and every webhook
// payload build their links here, so a message always opens a console page (never the JSON API).

const enc = encodeURIComponent;
const search = (query: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
};

export const consolePaths = {
  vaults: () => '/console',
  vault: (vaultId: string) => `/console/vaults/${enc(vaultId)}`,
  alerts: (vaultId: string, query?: Record<string, string | undefined>) => `/console/vaults/${enc(vaultId)}/alerts${search(query)}`,
  alert: (vaultId: string, alertId: string) => `/console/vaults/${enc(vaultId)}/alerts/${enc(alertId)}`,
  jobs: (vaultId: string, query?: Record<string, string | undefined>) => `/console/vaults/${enc(vaultId)}/jobs${search(query)}`,
  items: (vaultId: string, query?: Record<string, string | undefined>) => `/console/vaults/${enc(vaultId)}/items${search(query)}`,
  report: (vaultId: string, query?: Record<string, string | undefined>) => `/console/vaults/${enc(vaultId)}/report${search(query)}`,
  item: (vaultId: string, workloadType: string, entityName: string) => `/console/vaults/${enc(vaultId)}/items/${enc(workloadType)}/${enc(entityName)}`,
} as const;

/** An absolute link under PUBLIC_URL (trailing slashes dropped, so `https://x/` and `https://x` agree). */
export const consoleUrl = (publicUrl: string, path: string): string => `${publicUrl.replace(/\/+$/, '')}${path}`;

/** The links a message about an alert carries (emails, webhook, Slack and Teams bodies). */
export function alertLinks(publicUrl: string, alert: { vaultId: string; id: string; workloadType: string; entityName: string }) {
  return {
    alert: consoleUrl(publicUrl, consolePaths.alert(alert.vaultId, alert.id)),
    item: consoleUrl(publicUrl, consolePaths.item(alert.vaultId, alert.workloadType, alert.entityName)),
    vault: consoleUrl(publicUrl, consolePaths.vault(alert.vaultId)),
  };
}
