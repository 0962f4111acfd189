export { backupJob } from './backup-job';
export { vaultNotifications } from './vault-notifications';
export { silenceWindow } from './silence-window';
