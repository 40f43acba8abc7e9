// Vendure's entities as ordercare's canonical events (abi/events.schema.json).
// Pure functions: no service, no clock but the times they are given.
import type { Fulfillment, Order, OrderLine } from '@vendure/core';

// Vendure's order code is the order id ordercare sees: it is what the
// customer and the Admin UI show, and it names one order across channels.
export function orderId(order: Pick<Order, 'code'>): string {
  return order.code;
}

function customerOf(order: Order) {
  const c = order.customer;
  if (!c) return { id: `guest:${order.code}` };
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return {
    id: String(c.id),
    ...(name ? { name } : {}),
    ...(c.emailAddress ? { email: c.emailAddress } : {}),
    ...(c.phoneNumber ? { phone: c.phoneNumber } : {}),
  };
}

function lineOf(line: OrderLine) {
  return {
    line_id: String(line.id),
    sku: line.productVariant?.sku || `variant:${line.productVariantId}`,
    ...(line.productVariant?.name ? { name: line.productVariant.name } : {}),
    quantity: line.quantity,
    // What the customer paid for one unit, after order-level discounts:
    // the amount a return of it refunds.
    unit_price: line.proratedUnitPriceWithTax,
  };
}

function addressOf(order: Order): string | undefined {
  const a = order.shippingAddress;
  if (!a) return undefined;
  const parts = [a.fullName, a.company, a.streetLine1, a.streetLine2, a.postalCode, a.city, a.province, a.countryCode];
  const text = parts.filter((p) => p && String(p).trim()).join(', ');
  return text || undefined;
}

// The order as ordercare's order.created wants it (data.order), also the
// answer to lookup_order. Lines whose quantity went to 0 are left out.
export function canonicalOrder(order: Order) {
  const placed = order.orderPlacedAt ?? order.updatedAt ?? order.createdAt;
  const address = addressOf(order);
  return {
    id: orderId(order),
    number: order.code,
    placed_at: new Date(placed).toISOString(),
    currency: order.currencyCode,
    total: order.totalWithTax,
    channel: 'web',
    customer: customerOf(order),
    items: order.lines.filter((l) => l.quantity > 0).map(lineOf),
    ...(address ? { shipping_address: address } : {}),
  };
}

export function event(id: string, type: string, at: Date, data: object) {
  return { id, type, occurred_at: at.toISOString(), source: 'vendure', data };
}

// Vendure order states that ordercare has a name for (order.updated's status).
const ORDER_STATUS: Record<string, string> = {
  PaymentAuthorized: 'processing',
  PaymentSettled: 'processing',
  PartiallyShipped: 'shipped',
  Shipped: 'shipped',
  PartiallyDelivered: 'shipped',
  Delivered: 'delivered',
  Cancelled: 'cancelled',
};

export function orderStatus(vendureState: string): string | undefined {
  return ORDER_STATUS[vendureState];
}

// Fulfillment states as a carrier would report them (shipment.updated).
const SHIPMENT_STATUS: Record<string, string> = {
  Shipped: 'in_transit',
  Delivered: 'delivered',
};

export function shipmentStatus(vendureState: string): string | undefined {
  return SHIPMENT_STATUS[vendureState];
}

export function shipmentData(order: Order, fulfillment: Fulfillment, status: string, reason?: string) {
  return {
    order_id: orderId(order),
    shipment_id: String(fulfillment.id),
    ...(fulfillment.method ? { carrier: fulfillment.method } : {}),
    ...(fulfillment.trackingCode ? { tracking_number: fulfillment.trackingCode } : {}),
    status,
    ...(reason ? { reason } : {}),
  };
}
