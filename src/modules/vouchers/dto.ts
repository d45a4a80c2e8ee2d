import { z } from 'zod';
import { isoDateTime } from '../../shared/dates.ts';

/** Codes are compared in capitals; an organizer's own codes may use letters, digits, '-' and '_'. */
export const voucherCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_-]{4,64}$/, 'A code has 4 to 64 letters, digits, - or _');

export const discountSchema = z.union([
  z.object({ percent: z.number().int().min(1).max(100) }).strict(),
  z.object({ amountCents: z.number().int().min(1).max(100_000_000) }).strict(),
  /** The ticket costs this instead (0: free). */
  z.object({ priceCents: z.number().int().min(0).max(100_000_000) }).strict(),
]);
export type Discount = z.infer<typeof discountSchema>;

const voucherTerms = {
  discount: discountSchema,
  ticketTypeIds: z.array(z.uuid()).max(100).optional(),
  /** Tickets (not orders) that may be bought with each code. */
  maxUses: z.number().int().min(1).max(100_000),
  validFrom: isoDateTime.nullable().optional(),
  validUntil: isoDateTime.nullable().optional(),
  /** Seats of the (one) ticket type held back for this code's holders and not sold to the public. */
  reservedQuantity: z.number().int().min(0).max(100_000).optional(),
  /** Hidden ticket types among ticketTypeIds (all of the event's if none named) become buyable with it. */
  unlocksHiddenTypes: z.boolean().optional(),
};

export const MAX_VOUCHERS_PER_CALL = 1000;

export const createVouchersInput = z
  .object({
    eventId: z.uuid(),
    /** This many random codes … */
    count: z.number().int().min(1).max(MAX_VOUCHERS_PER_CALL).optional(),
    /** … or these codes. */
    codes: z.array(voucherCodeSchema).min(1).max(MAX_VOUCHERS_PER_CALL).optional(),
    ...voucherTerms,
  })
  .refine((v) => (v.count === undefined) !== (v.codes === undefined), { message: 'Give either count or codes', path: ['count'] });
export type CreateVouchersInput = z.infer<typeof createVouchersInput>;

export const updateVoucherInput = z.object({
  voucherId: z.uuid(),
  discount: discountSchema.optional(),
  maxUses: voucherTerms.maxUses.optional(),
  validFrom: voucherTerms.validFrom,
  validUntil: voucherTerms.validUntil,
  reservedQuantity: voucherTerms.reservedQuantity,
  unlocksHiddenTypes: voucherTerms.unlocksHiddenTypes,
  disabled: z.boolean().optional(),
});
export type UpdateVoucherInput = z.infer<typeof updateVoucherInput>;

export const adminVoucherSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  discount: discountSchema,
  ticketTypeIds: z.array(z.uuid()),
  maxUses: z.number().int(),
  uses: z.number().int(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  reservedQuantity: z.number().int(),
  unlocksHiddenTypes: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type AdminVoucher = z.infer<typeof adminVoucherSchema>;

/** What orders and the storefront need of a usable voucher: never its uses or other codes. */
export type VoucherTerms = {
  id: string;
  code: string;
  discount: Discount;
  /** Empty: every ticket type. */
  ticketTypeIds: string[];
  unlocksHidden: boolean;
  /** The voucher holds seats back (catalog pool id = voucher id). */
  hasReserve: boolean;
};

/** The voucher as the event page shows it. */
export const publicVoucherSchema = z.object({
  code: z.string(),
  discount: discountSchema,
  /** The ticket types it applies to (empty: all). */
  ticketTypeIds: z.array(z.uuid()),
});
