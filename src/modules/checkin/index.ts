export type { Scanner, ScanActor, ScanInput, ScanResult, CheckinStats, RedeemResult } from './dto.ts';
export type { CheckinDeps } from './service.ts';
export { scan, redeemAddOn, undo, stats } from './service.ts';
export { createDevice, revokeDevice, listDevices, deviceForToken } from './devices.ts';
