export type { Scanner, ScanActor, GateScanner, ScanInput, ScanResult, CheckinStats, RedeemResult, UndoAddOnResult, Snapshot, SyncResult, ConflictView } from './dto.ts';
export type { CheckinDeps } from './service.ts';
export { scan, undo, stats } from './service.ts';
export { redeemAddOn, undoAddOnRedemption } from './add-ons.ts';
export { createDevice, revokeDevice, revokeDevicesOfEvent, listDevices, deviceForToken, checkinStates } from './devices.ts';
export { snapshot, sync, listConflicts, gateSettings, setGateSettings } from './offline.ts';
export { checkinExportRows } from './exports.ts';
export { gateLive } from './live.ts';
