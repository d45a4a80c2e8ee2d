export type { Scanner, ScanActor, GateScanner, ScanInput, ScanResult, CheckinStats, RedeemResult, Snapshot, SyncResult, ConflictView } from './dto.ts';
export type { CheckinDeps } from './service.ts';
export { scan, redeemAddOn, undo, stats } from './service.ts';
export { createDevice, revokeDevice, listDevices, deviceForToken, checkinStates } from './devices.ts';
export { snapshot, sync, listConflicts, gateSettings, setGateSettings } from './offline.ts';
export { checkinExportRows } from './exports.ts';
export { gateLive } from './live.ts';
