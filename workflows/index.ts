export { backupJob } from './backup-job';
export { vaultNotifications } from './vault-notifications';
export { vaultReport } from './vault-report';
