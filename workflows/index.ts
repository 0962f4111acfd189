export { backupJob } from './backup-job';
export { delivery } from './delivery';
export { vaultNotifications } from './vault-notifications';
export { backupWatch } from './backup-watch';
export { vaultReport } from './vault-report';
export { silenceWindow } from './silence-window';
