// The Node shim's order_action (ABI 1.3): a wrong item gets a replacement
// and a return label from the host, and the customer's notice waits for
// both. Run: node order_action_test.js SHIM LIB DB
'use strict';
const assert = require('assert');
const { Plugin } = require(process.argv[2]);

const done = {};
const notices = [];
const oc = new Plugin({ store: { path: process.argv[4] } }, {
  order_action(request, key) {
    if (!(key in done)) done[key] = request.action;
    if (request.action === 'reship') return ['done', { carrier: 'dhl', tracking_number: 'JD1', eta: '2026-11-23T12:00:00Z' }];
    if (request.action === 'return_label') return ['done', { label_url: `https://labels.example.com/${key}`, tracking_number: 'RL1' }];
    return ['done', { code: 'SORRY5' }];
  },
  notify(request) {
    notices.push(request.template);
    return 'done';
  },
}, { library: process.argv[3] });
oc.submit({ id: 'js-o1', type: 'order.created', occurred_at: '2026-11-20T09:00:00Z', source: 'host',
  data: { order: { id: 'JO-1', placed_at: '2026-11-20T09:00:00Z', currency: 'EUR', total: 4999, channel: 'web',
    customer: { id: 'js-c1', name: 'Ann' },
    items: [{ line_id: '1', sku: 'MUG', name: 'Mug', quantity: 1, unit_price: 4999 }] } } });
oc.submit({ id: 'js-m1', type: 'customer.message', occurred_at: '2026-11-20T10:00:00Z', source: 'host',
  data: { order_id: 'JO-1', customer: { id: 'js-c1' }, channel: 'email', text: 'I got the wrong item' } });
for (let i = 0; i < 10; i++) oc.poll();
assert.deepStrictEqual(Object.values(done).sort(), ['reship', 'return_label']);
assert.ok(notices.includes('wrong_item_replacement'), JSON.stringify(notices));
oc.close();
console.log('order_action ok');
