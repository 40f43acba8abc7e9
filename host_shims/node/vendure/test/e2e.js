// End to end: a real Vendure server (in-memory sql.js) with the ordercare
// plugin, on 127.0.0.1. A customer signs up and orders two mugs through
// the Shop API and pays with the dummy payment method; the shop ships
// them; the carrier fails the delivery twice (reported through the Admin API) and an
// agent escalates, then it delivers; the customer returns one mug through
// ordercare from the Shop API; the warehouse receives it resellable. Then:
// Vendure has exactly one refund of the mug's price and its stock is one
// up, ordercare's case, return and escalation say the same, and the
// refund and restock callbacks, asked again under their keys, do nothing.
// Then the customer cancels a second order before it ships (Vendure
// cancels and refunds it for ordercare), and a third checkout's card is
// declined (a payment case).
//
//   node test/e2e.js LIBORDERCARE WORKDIR      (after npm ci && npm run build)
'use strict';
process.env.VENDURE_DISABLE_TELEMETRY = 'true';
const fs = require('fs');
const net = require('net');
const path = require('path');
const assert = require('assert/strict');
const {
  bootstrap, DefaultLogger, EventBus, LogLevel, LanguageCode, dummyPaymentHandler, ProductVariant,
} = require('@vendure/core');
const { populateInitialData, importProductsFromCsv } = require('@vendure/core/cli');
const { OrdercarePlugin, OrdercareService, OrdercareNotificationEvent } = require('../dist');

const [library, workdir] = process.argv.slice(2);
if (!library || !workdir) {
  console.error('usage: node test/e2e.js LIBORDERCARE WORKDIR');
  process.exit(2);
}
const started = Date.now();
const deadline = started + 120_000;
const step = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, probe, ms = 30_000) {
  const stop = Math.min(Date.now() + ms, deadline);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A GraphQL client that keeps Vendure's bearer session token.
function client(url) {
  let token = null;
  return async (query, variables = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    token = response.headers.get('vendure-auth-token') ?? token;
    const body = await response.json();
    if (body.errors) throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
    const [result] = Object.values(body.data);
    if (result && result.errorCode) throw new Error(`${url}: ${result.errorCode}: ${result.message}`);
    return body.data;
  };
}

const initialData = {
  defaultLanguage: LanguageCode.en,
  defaultZone: 'Europe',
  taxRates: [{ name: 'standard', percentage: 20 }],
  shippingMethods: [{ name: 'Standard Shipping', price: 500 }],
  paymentMethods: [{
    name: 'Standard Payment',
    handler: { code: dummyPaymentHandler.code, arguments: [{ name: 'automaticSettle', value: 'true' }] },
  }],
  countries: [{ name: 'United Kingdom', code: 'GB', zone: 'Europe' }],
  collections: [],
};

async function main() {
  fs.rmSync(workdir, { recursive: true, force: true });
  fs.mkdirSync(workdir, { recursive: true });
  const port = await freePort();
  const config = {
    apiOptions: { hostname: '127.0.0.1', port, adminApiPath: 'admin-api', shopApiPath: 'shop-api',
      cors: { origin: [`http://127.0.0.1:${port}`], credentials: true } },
    authOptions: {
      tokenMethod: 'bearer',
      requireVerification: false,
      superadminCredentials: { identifier: 'superadmin', password: 'e2e-only-password' },
    },
    dbConnectionOptions: { type: 'sqljs', synchronize: true, logging: false },
    paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
    logger: new DefaultLogger({ level: LogLevel.Warn }),
    plugins: [OrdercarePlugin.init({ library, config: { store: { path: path.join(workdir, 'ordercare.db') } } })],
  };
  const app = await bootstrap(config);
  step(`Vendure up on 127.0.0.1:${port}`);
  try {
    await scenario(app, port);
  } finally {
    await app.close();
  }
  step('Vendure closed');
}

async function scenario(app, port) {
  await populateInitialData(app, initialData);
  await importProductsFromCsv(app, path.join(__dirname, 'products.csv'), LanguageCode.en);
  const ordercare = app.get(OrdercareService);
  const notices = [];
  app.get(EventBus).ofType(OrdercareNotificationEvent).subscribe((e) => notices.push(e));
  const shop = client(`http://127.0.0.1:${port}/shop-api`);
  const admin = client(`http://127.0.0.1:${port}/admin-api`);
  await admin(`mutation { login(username: "superadmin", password: "e2e-only-password") { ... on CurrentUser { id } } }`);
  const variantQuery = `query ($sku: String!) { productVariants(options: { filter: { sku: { eq: $sku } } }) {
    items { id sku stockOnHand stockAllocated } } }`;
  const variant = async () => (await admin(variantQuery, { sku: 'MUG-ENAMEL' })).productVariants.items[0];
  const mug = await variant();
  step(`populated: MUG-ENAMEL stock ${mug.stockOnHand}`);

  // The customer's checkout, through the Shop API.
  const orderFields = `... on Order { id code state totalWithTax lines { id quantity } } ... on ErrorResult { errorCode message }`;
  await shop(`mutation { registerCustomerAccount(input: { emailAddress: "ada@example.com", firstName: "Ada",
    lastName: "Example", password: "ada-secret" }) { ... on Success { success } ... on ErrorResult { errorCode message } } }`);
  await shop(`mutation { login(username: "ada@example.com", password: "ada-secret") {
    ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`);
  const checkout = async (variantId, quantity, metadata = {}) => {
    await shop(`mutation ($id: ID!, $q: Int!) { addItemToOrder(productVariantId: $id, quantity: $q) { ${orderFields} } }`,
      { id: variantId, q: quantity });
    await shop(`mutation { setOrderShippingAddress(input: { fullName: "Ada Example", streetLine1: "1 High Street",
      city: "London", postalCode: "N1 1AA", countryCode: "GB" }) { ${orderFields} } }`);
    const { eligibleShippingMethods } = await shop(`{ eligibleShippingMethods { id price } }`);
    await shop(`mutation ($id: [ID!]!) { setOrderShippingMethod(shippingMethodId: $id) { ${orderFields} } }`,
      { id: [eligibleShippingMethods[0].id] });
    await shop(`mutation { transitionOrderToState(state: "ArrangingPayment") { ${orderFields} } }`);
    return (await shop(`mutation ($metadata: JSON!) { addPaymentToOrder(input: { method: "standard-payment", metadata: $metadata })
      { ${orderFields} } }`, { metadata })).addPaymentToOrder;
  };
  const paid = await checkout(mug.id, 2);
  assert.equal(paid.state, 'PaymentSettled');
  const code = paid.code;
  const line = paid.lines[0];
  step(`order ${code} placed and paid: ${paid.totalWithTax}`);
  await until('ordercare to know the order', () => {
    try { return ordercare.call('order.get', { id: code }); } catch { return null; }
  });

  // The shop ships it, the carrier fails twice and then delivers.
  const fulfillment = (await admin(`mutation ($input: FulfillOrderInput!) { addFulfillmentToOrder(input: $input) {
      ... on Fulfillment { id state } ... on ErrorResult { errorCode message } } }`, {
    input: {
      lines: [{ orderLineId: line.id, quantity: 2 }],
      handler: { code: 'manual-fulfillment', arguments: [
        { name: 'method', value: 'Courier' }, { name: 'trackingCode', value: 'TRK-1001' }] },
    },
  })).addFulfillmentToOrder;
  const transition = (state) => admin(`mutation ($id: ID!, $state: String!) { transitionFulfillmentToState(id: $id, state: $state) {
      ... on Fulfillment { id state } ... on ErrorResult { errorCode message } } }`, { id: fulfillment.id, state });
  await transition('Shipped');
  const shipped = await variant();
  step(`shipped fulfillment ${fulfillment.id}: stock ${shipped.stockOnHand}`);
  await until('ordercare to see the shipment', () => ordercare.call('order.get', { id: code }).shipments.length === 1);
  for (const attempt of [1, 2]) {
    await admin(`mutation ($id: ID!, $reason: String, $eventId: String) { ordercareReportShipment(fulfillmentId: $id,
      status: "delivery_failed", reason: $reason, eventId: $eventId) }`,
    { id: fulfillment.id, reason: 'nobody home', eventId: `carrier-${code}-${attempt}` });
  }
  await until('two failed deliveries', () => ordercare.call('order.get', { id: code }).failed_deliveries === 2);
  step('delivery failed twice');
  // ordercare makes the delivery case P2 and asks fulfilment for a
  // redelivery (seed 004); it escalates nothing by itself. The shop's agent
  // escalates it from the Admin API, as a team lead would be asked to.
  const delivery = await until('the failed-delivery case', () =>
    ordercare.call('cases.list', { order_id: code, type: 'shipping_delay' }).cases.find((c) => c.priority === 'P2'));
  await until('fulfilment to be asked', () => notices.some((n) => n.request.team === 'fulfilment' && n.request.case_id === delivery.id));
  const escalated = (await admin(`mutation ($args: JSON) { ordercareCall(method: "case.escalate", args: $args) }`, {
    args: { id: delivery.id, reason: 'Two failed deliveries: book a redelivery today', agent: 'vendure-admin', request_id: `esc-${code}` },
  })).ordercareCall;
  step(`case ${delivery.id} ${delivery.type} ${delivery.priority} escalated: ${escalated.status}, level ${escalated.escalation_level}`);
  await new Promise((r) => setTimeout(r, 5));  // the carrier's later word
  await transition('Delivered');
  await until('ordercare to see the delivery', () => ordercare.call('order.get', { id: code }).status === 'delivered');
  step('delivered');

  // The customer returns one mug from the storefront (nobody else may);
  // the warehouse receives it resellable and inspects it.
  const returnMutation = `mutation ($code: String!, $line: ID!) { requestOrdercareReturn(orderCode: $code,
      lines: [{ orderLineId: $line, quantity: 1, reason: "changed_mind" }]) }`;
  await assert.rejects(client(`http://127.0.0.1:${port}/shop-api`)(returnMutation, { code, line: line.id }), /FORBIDDEN|not currently authorized/);
  const requested = (await shop(returnMutation, { code, line: line.id })).requestOrdercareReturn;
  step(`return ${requested.id} ${requested.status}`);
  const received = (await admin(`mutation ($args: JSON) { ordercareCall(method: "return.receive", args: $args) }`, {
    args: { id: requested.id, items: [{ line_id: String(line.id), quantity: 1, condition: 'resellable' }] },
  })).ordercareCall;
  step(`return ${received.id} received: ${received.status}`);
  const inspected = (await admin(`mutation ($args: JSON) { ordercareCall(method: "return.inspect", args: $args) }`, {
    args: { id: requested.id },
  })).ordercareCall;
  step(`return ${inspected.id} inspected: ${inspected.status}`);
  // The dummy payment method leaves refunds Pending, as a provider that
  // pays out later would: the shop settles it in the Admin API.
  const orderRefunds = async () => (await admin(`query ($id: ID!) { order(id: $id) {
      payments { refunds { id total state } } } }`, { id: paid.id })).order.payments.flatMap((p) => p.refunds);
  const [pending] = await until('the refund in Vendure', async () => {
    const refunds = await orderRefunds();
    return refunds.length ? refunds : null;
  });
  assert.equal(pending.state, 'Pending');
  assert.equal(ordercare.call('return.get', { id: requested.id }).refunds[0].status, 'pending');
  // As after a restart: the pending refund is resumed under its key, finds
  // Vendure's refund still Pending, and makes no second one.
  assert.equal(await ordercare.resumePending(), 1);
  await ordercare.settled();
  assert.equal((await orderRefunds()).length, 1);
  await admin(`mutation ($id: ID!) { settleRefund(input: { id: $id, transactionId: "dummy-payout-1" }) {
      ... on Refund { id state } ... on ErrorResult { errorCode message } } }`, { id: pending.id });
  step(`Vendure refund ${pending.id} of ${pending.total} settled`);
  const refundedReturn = await until('the refund', () => {
    const r = ordercare.call('return.get', { id: requested.id });
    return r.refunds.length && r.refunds.every((f) => f.status === 'succeeded') ? r : null;
  }).catch((e) => {
    console.error(JSON.stringify(ordercare.call('return.get', { id: requested.id })));
    console.error(JSON.stringify(ordercare.call('effects.list', { order_id: code })));
    throw e;
  });
  await until('the restock', async () => (await variant()).stockOnHand === shipped.stockOnHand + 1);
  step(`return ${refundedReturn.id} ${refundedReturn.status}, refunded ${JSON.stringify(refundedReturn.refunded)}`);
  assert.equal(await ordercare.resumePending(), 0);

  // Retried callbacks: the same keys again change nothing.
  const effects = ordercare.call('effects.list', { order_id: code, limit: 1000 }).effects;
  const refundEffect = effects.find((e) => e.kind === 'refund');
  const stockEffect = effects.find((e) => e.kind === 'adjust_inventory');
  assert.ok(refundEffect && stockEffect, `effects: ${JSON.stringify(effects.map((e) => [e.kind, e.status]))}`);
  assert.equal(ordercare.refund(refundEffect.payload, refundEffect.id, 2), 'pending');
  await ordercare.settled();
  let again;
  for (let i = 0; i < 50 && !Array.isArray(again); i++) {
    again = ordercare.adjustInventory(stockEffect.payload, stockEffect.id, 2);
    if (!Array.isArray(again) || again[0] !== 'done') { again = null; await ordercare.settled(); }
  }
  assert.equal(again[0], 'done');
  await ordercare.settled();
  // A damaged return's item, for a returns area Vendure has no location
  // for, stays out of sellable stock.
  const damaged = { sku: 'MUG-ENAMEL', location: 'returns_area', delta: 1, reason: 'return_damaged' };
  let kept = ordercare.adjustInventory(damaged, 'inventory:e2e-damaged:1', 1);
  for (let i = 0; i < 50 && kept[0] !== 'done'; i++) {
    await ordercare.settled();
    kept = ordercare.adjustInventory(damaged, 'inventory:e2e-damaged:1', 2);
  }
  assert.match(kept[1].host_reference, /^not stocked/);
  assert.equal((await variant()).stockOnHand, shipped.stockOnHand + 1);
  // lookup_order answers with Vendure's order once it has read it.
  assert.equal(ordercare.lookupOrder({ order_id: code }, `lookup_order:${code}`, 1)[0], 'retry_later');
  await ordercare.settled();
  const [looked, lookedOrder] = ordercare.lookupOrder({ order_id: code }, `lookup_order:${code}`, 2);
  assert.equal(looked, 'done');
  assert.deepEqual([lookedOrder.id, lookedOrder.total, lookedOrder.currency, lookedOrder.customer.email],
    [code, paid.totalWithTax, 'USD', 'ada@example.com']);
  assert.deepEqual(lookedOrder.items.map((i) => [i.line_id, i.sku, i.quantity]), [[String(line.id), 'MUG-ENAMEL', 2]]);

  // Inside Vendure: one refund, of the return's amount; one more mug in stock.
  const { order } = await admin(`query ($id: ID!) { order(id: $id) {
      id state lines { id proratedUnitPriceWithTax }
      payments { id amount state refunds { id total state reason lines { orderLineId quantity } } } } }`, { id: paid.id });
  const refunds = order.payments.flatMap((p) => p.refunds);
  const unit = order.lines.find((l) => l.id === line.id).proratedUnitPriceWithTax;
  const fee = refundedReturn.restocking_fee?.amount ?? refundedReturn.restocking_fee ?? 0;
  console.log(`vendure: order ${code} ${order.state}, payment ${order.payments[0].amount}, refunds ${JSON.stringify(refunds)}`);
  assert.equal(refunds.length, 1, 'exactly one refund');
  assert.equal(refunds[0].state, 'Settled');
  assert.equal(refunds[0].total, unit - fee, 'refund = the returned unit price less any restocking fee');
  assert.equal(refunds[0].total, refundedReturn.refunded.amount ?? refundedReturn.refunded);
  assert.match(refunds[0].reason, new RegExp(`^ordercare ${refundEffect.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const after = await variant();
  console.log(`vendure: MUG-ENAMEL stock ${mug.stockOnHand} -> shipped ${shipped.stockOnHand} -> after return ${after.stockOnHand}`);
  assert.equal(after.stockOnHand, shipped.stockOnHand + 1, 'stock up by the returned quantity');
  const adjustments = await app.get(require('@vendure/core').TransactionalConnection).rawConnection
    .getRepository('ordercare_effect').find();
  console.log(`vendure: ordercare_effect records ${JSON.stringify(adjustments.map((r) => [r.kind, r.idempotencyKey, r.hostReference]))}`);
  assert.deepEqual(adjustments.map((r) => r.kind).sort(), ['adjust_inventory', 'adjust_inventory', 'refund']);

  // Inside ordercare: the delivery case, the return's case and its return, the escalation.
  const cases = ordercare.call('cases.list', { order_id: code }).cases;
  console.log(`ordercare: cases ${JSON.stringify(cases.map((c) => [c.id, c.type, c.priority, c.status, c.escalation_level]))}`);
  const deliveryCase = ordercare.call('case.get', { id: delivery.id });
  assert.equal(deliveryCase.priority, 'P2');
  assert.ok(deliveryCase.triggers.includes('multiple_failed_deliveries'));
  assert.equal(deliveryCase.escalation_level, 1);
  assert.equal(deliveryCase.status, 'escalated');
  const ret = ordercare.call('return.get', { id: requested.id });
  console.log(`ordercare: return ${ret.id} ${ret.status} items ${JSON.stringify(ret.items.map((i) => [i.line_id, i.quantity, i.received_condition, i.disposition]))} refunds ${JSON.stringify(ret.refunds.map((r) => [r.id, r.amount, r.status]))}`);
  assert.ok(['refunded', 'closed'].includes(ret.status), ret.status);
  assert.equal(ret.refunds.length, 1);
  assert.equal(ret.refunds[0].status, 'succeeded');
  const viaApi = (await admin(`query ($args: JSON) { ordercareQuery(method: "return.get", args: $args) }`,
    { args: { id: requested.id } })).ordercareQuery;
  assert.equal(viaApi.status, ret.status);
  await assert.rejects(admin(`query { ordercareQuery(method: "customer.erase", args: { id: "1" }) }`), /not a query/);
  const returnCase = cases.find((c) => c.id === ret.case_id);
  assert.ok(returnCase, 'the return has a case on the order');
  const orderFacts = ordercare.call('order.get', { id: code });
  assert.equal(orderFacts.failed_deliveries, 2);
  assert.equal(orderFacts.refunds.length, 1);
  const escalations = ordercare.call('escalations.log', {}).rows.filter((r) => r.order_id === code);
  console.log(`ordercare: escalations ${JSON.stringify(escalations.map((e) => [e.kind, e.issue, e.status, e.action_taken]))}`);
  assert.equal(escalations.length, 1, 'one escalation');
  assert.equal(escalations[0].kind, 'agent');
  assert.equal(escalations[0].status, 'open');
  assert.equal(escalations[0].customer_name, 'Ada Example');
  assert.equal(returnCase.type, 'return');
  assert.ok(notices.some((n) => n.request.template === 'team_escalation' && n.request.case_id === delivery.id));
  assert.ok(notices.some((n) => n.request.template === 'refund_issued' && n.request.case_id === ret.case_id));
  console.log(`vendure: notices on the EventBus ${JSON.stringify(notices.map((n) => [n.audience, n.request.team ?? n.request.channel, n.request.template, n.request.case_id]))}`);

  // A second order, cancelled by the customer before it ships: ordercare
  // asks Vendure (order_action cancel), which cancels it and refunds it.
  const socks = async () => (await admin(variantQuery, { sku: 'SOCK-TRAIL' })).productVariants.items[0];
  const sockBefore = await socks();
  const second = await checkout(sockBefore.id, 1);
  assert.equal(second.state, 'PaymentSettled');
  const sockPaid = await socks();
  await until('ordercare to know the second order', () => {
    try { return ordercare.call('order.get', { id: second.code }); } catch { return null; }
  });
  const asked = (await shop(`mutation ($code: String!) { requestOrdercareCancellation(orderCode: $code,
      reason: "ordered the wrong size") }`, { code: second.code })).requestOrdercareCancellation;
  step(`cancellation of ${second.code} asked: ${asked.status}`);
  const cancelled = await until('Vendure to cancel it', async () => {
    const { order: o } = await admin(`query ($id: ID!) { order(id: $id) { state
        payments { amount refunds { id total state reason } } } }`, { id: second.id });
    return o.state === 'Cancelled' && o.payments[0].refunds.length ? o : null;
  });
  const sockAfter = await socks();
  await until('ordercare to hear it', () => ordercare.call('order.get', { id: second.code }).actions?.[0]?.status === 'done');
  const cancelFacts = ordercare.call('order.get', { id: second.code });
  console.log(`vendure: order ${second.code} ${cancelled.state}, payment ${cancelled.payments[0].amount}, refunds ${JSON.stringify(cancelled.payments[0].refunds)}; SOCK-TRAIL allocated ${sockBefore.stockAllocated} -> ${sockPaid.stockAllocated} -> ${sockAfter.stockAllocated}, on hand ${sockAfter.stockOnHand}`);
  console.log(`ordercare: order ${second.code} ${cancelFacts.status} actions ${JSON.stringify(cancelFacts.actions.map((a) => [a.id, a.kind, a.status]))}`);
  assert.equal(cancelled.payments[0].refunds.length, 1);
  assert.equal(cancelled.payments[0].refunds[0].total, cancelled.payments[0].amount);
  assert.equal(sockPaid.stockAllocated, sockBefore.stockAllocated + 1);
  assert.equal(sockAfter.stockAllocated, sockBefore.stockAllocated);
  assert.equal(sockAfter.stockOnHand, sockBefore.stockOnHand);
  assert.equal(cancelFacts.status, 'cancelled');
  assert.deepEqual(cancelFacts.actions.map((a) => [a.kind, a.status]), [['cancel', 'done']]);
  assert.ok(notices.some((n) => n.request.template === 'cancellation_confirmed' && n.request.order_id === second.code));

  // A third checkout whose card is declined: a payment case in ordercare,
  // which asks Vendure for the order still in checkout.
  const declined = await checkout(sockBefore.id, 1, { shouldDecline: true }).catch((e) => e);
  assert.match(String(declined.message ?? declined.errorCode), /PAYMENT_DECLINED/);
  const { activeOrder } = await shop(`{ activeOrder { code state } }`);
  const paymentCase = await until('the payment case', () => {
    try {
      return ordercare.call('cases.list', { order_id: activeOrder.code, type: 'payment' }).cases[0];
    } catch { return null; }
  });
  const knownOrder = await until('ordercare to look the order up', () => {
    try { return ordercare.call('order.get', { id: activeOrder.code }); } catch { return null; }
  });
  console.log(`ordercare: declined payment on ${activeOrder.code} (${activeOrder.state}): case ${paymentCase.id} ${paymentCase.type} ${paymentCase.priority}, order known with total ${knownOrder.total}`);
  step('vendure_e2e ok');
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
setTimeout(() => {
  console.error('vendure_e2e: timed out');
  process.exit(1);
}, 150_000).unref();
