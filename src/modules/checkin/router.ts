import { z } from 'zod';
import { countCheckinResult } from '../../trpc/metrics.ts';
import { adminProcedure, adminReadProcedure, deviceProcedure, gateProcedure, limitPerDevice, router, scannerProcedure } from '../../trpc/index.ts';
import {
  conflictSchema,
  createDeviceInput,
  deviceIdInput,
  deviceSchema,
  eventIdInput,
  gateSettingsInput,
  gateSettingsSchema,
  redeemAddOnInput,
  redeemResultSchema,
  scanInput,
  scannerInfoSchema,
  scanResultSchema,
  snapshotInput,
  snapshotSchema,
  statsSchema,
  syncInput,
  syncResultSchema,
  undoAddOnInput,
  undoAddOnResultSchema,
  undoInput,
  undoResultSchema,
} from './dto.ts';
import { isLoadTestEvent } from '../catalog/index.ts';
import * as addOns from './add-ons.ts';
import * as devices from './devices.ts';
import * as offline from './offline.ts';
import * as service from './service.ts';

/** The gate: enrolled devices (Bearer token) or signed-in staff. */
export const checkinRouter = router({
  scan: gateProcedure
    .input(scanInput)
    .output(scanResultSchema)
    .mutation(async ({ ctx, input }) => {
      const scanned = await service.scan(ctx.deps, input, { ...ctx.gate, ip: ctx.ip });
      // Business figures leave load-test events out (the request itself is still in the HTTP metrics).
      if (!(await isLoadTestEvent(ctx.deps.db, input.eventId))) countCheckinResult(scanned.result);
      return scanned;
    }),
  /** One unit of a ticket's add-on handed out; NONE_LEFT when all are. */
  redeemAddOn: scannerProcedure
    .use(limitPerDevice('gateAddOns'))
    .input(redeemAddOnInput)
    .output(redeemResultSchema)
    .mutation(({ ctx, input }) => addOns.redeemAddOn(ctx.deps, input, ctx.scanner)),
  /** Gives a redeemed unit back (handed out by mistake); repeating it gives nothing more back. */
  undoAddOnRedemption: scannerProcedure
    .use(limitPerDevice('gateAddOns'))
    .input(undoAddOnInput)
    .output(undoAddOnResultSchema)
    .mutation(({ ctx, input }) => addOns.undoAddOnRedemption(ctx.deps, input, ctx.scanner)),
  undo: scannerProcedure
    .input(undoInput)
    .output(undoResultSchema)
    .mutation(({ ctx, input }) => service.undo(ctx.deps, input, ctx.scanner)),
  stats: scannerProcedure
    .input(eventIdInput)
    .output(statsSchema)
    .query(({ ctx, input }) => service.stats(ctx.deps.db, input.eventId, ctx.scanner)),
  /** Offline gate: the event's tickets for an enrolled device of that event, full or changed since `cursor`. */
  snapshot: deviceProcedure
    .use(limitPerDevice('gateSnapshots'))
    .input(snapshotInput)
    .output(snapshotSchema)
    .query(({ ctx, input }) => offline.snapshot(ctx.deps.db, input, ctx.scanner)),
  /** Offline gate: the device's queued scans, judged in order as if live; idempotent per nonce. */
  sync: deviceProcedure
    .use(limitPerDevice('gateUploads'))
    .input(syncInput)
    .output(syncResultSchema)
    .mutation(({ ctx, input }) => offline.sync(ctx.deps, input, ctx.scanner)),
  whoami: scannerProcedure
    .output(scannerInfoSchema)
    .query(({ ctx }) => devices.scannerInfo(ctx.deps.db, ctx.scanner, ctx.deps.clock())),
});

export const checkinAdminRouter = router({
  createDevice: adminProcedure
    .input(createDeviceInput)
    .output(z.object({ deviceId: z.uuid(), token: z.string() }))
    .mutation(({ ctx, input }) => devices.createDevice(ctx.deps.db, input, ctx.user.id, ctx.deps.clock())),
  revokeDevice: adminProcedure
    .input(deviceIdInput)
    .output(z.object({ deviceId: z.uuid(), eventId: z.uuid(), revokedAt: z.string() }))
    .mutation(({ ctx, input }) => devices.revokeDevice(ctx.deps.db, input.deviceId, ctx.deps.clock())),
  listDevices: adminProcedure
    .input(eventIdInput)
    .output(z.array(deviceSchema))
    .query(({ ctx, input }) => devices.listDevices(ctx.deps.db, input.eventId)),
  listCheckinConflicts: adminReadProcedure
    .input(eventIdInput)
    .output(z.array(conflictSchema))
    .query(({ ctx, input }) => offline.listConflicts(ctx.deps.db, input.eventId)),
  getGateSettings: adminReadProcedure
    .input(eventIdInput)
    .output(gateSettingsSchema)
    .query(({ ctx, input }) => offline.gateSettings(ctx.deps.db, input.eventId)),
  setGateSettings: adminProcedure
    .input(gateSettingsInput)
    .output(gateSettingsSchema)
    .mutation(({ ctx, input }) => offline.setGateSettings(ctx.deps, input)),
});
