// The Node shim's submitBatch: one answer per event, in order, a refused
// event answered alone, a whole-call failure thrown. Run: node
// submit_batch_test.js SHIM LIB DB (NODE_PATH with koffi)
'use strict';
const assert = require('assert');
const { Plugin } = require(process.argv[2]);

const order = (eventId, orderId) => ({
  id: eventId, type: 'order.created', occurred_at: '2026-11-20T09:00:00Z', source: 'host',
  data: { order: { id: orderId, placed_at: '2026-11-20T09:00:00Z', currency: 'EUR', total: 4999, channel: 'web',
    customer: { id: 'js-c1' }, items: [{ line_id: '1', sku: 'MUG', name: 'Mug', quantity: 1, unit_price: 4999 }] } },
});

const oc = new Plugin({ store: { path: process.argv[4] }, limits: { max_batch_events: 4 } }, {},
  { library: process.argv[3] });
// A name with a character outside ASCII: lengths are bytes, not UTF-16 units.
const withAccent = order('js-b2', 'JSB-2');
withAccent.data.order.items[0].name = 'Tasse à café';
const answers = oc.submitBatch([order('js-b1', 'JSB-1'), 'not json', order('js-b1', 'JSB-1'), withAccent]);
assert.deepStrictEqual(answers.map((a) => a.status), ['accepted', 'error', 'duplicate', 'accepted'], JSON.stringify(answers));
assert.strictEqual(answers[1].code, 'OC_ERR_JSON');
assert.ok(answers[1].message.includes('byte'), answers[1].message);
assert.strictEqual(answers[3].event_id, 'js-b2');
assert.strictEqual(oc.call('order.get', { id: 'JSB-2' }).id, 'JSB-2');
assert.deepStrictEqual(oc.submitBatch([]), []);
assert.throws(() => oc.submitBatch([1, 2, 3, 4, 5].map((i) => order(`js-x${i}`, `JSX-${i}`))),
  (error) => error.name === 'OC_ERR_TOO_LARGE' && error.detail.includes('max_batch_events'));
assert.strictEqual(oc.call('events.list').events.length, 2);
oc.close();
console.log('submit_batch ok');
