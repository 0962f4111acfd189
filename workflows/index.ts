export { backupJob } from './backup-job';
export { delivery } from './delivery';
export { vaultNotifications } from './vault-notifications';
