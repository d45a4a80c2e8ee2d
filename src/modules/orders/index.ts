export type { OrderView, CreateOrderInput } from './dto.ts';
export type { ConfirmResult } from './lifecycle.ts';
export { placeOrder, getOrder } from './service.ts';
export { confirmPayment, cancelPendingOrder, expireOverdueOrders } from './lifecycle.ts';
export { countByStatus as countOrdersByStatus } from './repo.ts';
