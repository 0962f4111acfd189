// The one authorization table (§7): every /v1 route of the OpenAPI document and the least role it
// needs. The middleware reads only this; a route missing here is refused, and a test over the
// OpenAPI document fails the build, so a new route cannot ship without a rule.
import type { Role } from '../../domain/types';

export interface AccessRule {
  role: Role;
  /** Only an unscoped token (every vault) may call it: token management and the global audit. */
  unscoped?: boolean;
}

/** Keys are `METHOD path` with OpenAPI-style `{param}` placeholders. */
export const ACCESS_RULES: Record<string, AccessRule> = {
  'GET /v1/whoami': { role: 'Reader' },
  'GET /v1/vaults': { role: 'Reader' },
  'PUT /v1/vaults/{vaultId}': { role: 'Admin' },
  'GET /v1/vaults/{vaultId}': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/notification-settings': { role: 'Reader' },
  'PUT /v1/vaults/{vaultId}/notification-settings': { role: 'Admin' },
  'POST /v1/vaults/{vaultId}/jobs': { role: 'Service' },
  'POST /v1/vaults/{vaultId}/jobs/{jobId}/complete': { role: 'Service' },
  'POST /v1/vaults/{vaultId}/jobs/{jobId}/cancel': { role: 'Service' },
  'GET /v1/vaults/{vaultId}/jobs': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/jobs/{jobId}': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/alerts': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/alerts/summary': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/alerts/{alertId}': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/alerts/{alertId}/history': { role: 'Reader' },
  'POST /v1/vaults/{vaultId}/alerts/{alertId}/acknowledge': { role: 'Operator' },
  'POST /v1/vaults/{vaultId}/alerts/{alertId}/inactivate': { role: 'Operator' },
  'GET /v1/vaults/{vaultId}/items': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/items/{workloadType}/{entityName}': { role: 'Reader' },
  'PUT /v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy': { role: 'Admin' },
  'DELETE /v1/vaults/{vaultId}/items/{workloadType}/{entityName}/policy': { role: 'Admin' },
  'POST /v1/vaults/{vaultId}/webhooks': { role: 'Admin' },
  'GET /v1/vaults/{vaultId}/webhooks': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/webhooks/{webhookId}': { role: 'Reader' },
  'DELETE /v1/vaults/{vaultId}/webhooks/{webhookId}': { role: 'Admin' },
  'POST /v1/vaults/{vaultId}/webhooks/{webhookId}/test': { role: 'Admin' },
  'GET /v1/vaults/{vaultId}/deliveries': { role: 'Reader' },
  'POST /v1/vaults/{vaultId}/silences': { role: 'Operator' },
  'GET /v1/vaults/{vaultId}/silences': { role: 'Reader' },
  'DELETE /v1/vaults/{vaultId}/silences/{silenceId}': { role: 'Operator' },
  'GET /v1/vaults/{vaultId}/report': { role: 'Reader' },
  'GET /v1/vaults/{vaultId}/audit': { role: 'Admin' },
  'GET /v1/audit': { role: 'Admin', unscoped: true },
  'POST /v1/tokens': { role: 'Admin', unscoped: true },
  'GET /v1/tokens': { role: 'Admin', unscoped: true },
  'DELETE /v1/tokens/{tokenId}': { role: 'Admin', unscoped: true },
};
