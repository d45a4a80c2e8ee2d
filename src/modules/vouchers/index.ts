export type { VoucherTerms, Discount } from './dto.ts';
export { voucherTerms, redeemVoucher, returnVoucherUse, retakeVoucherUse } from './service.ts';
export { appliesTo, discountedPrice } from './pricing.ts';
export { publicEventWithVoucher, unlockedTypeIds } from './storefront.ts';
export { publicVoucherSchema } from './dto.ts';
