// A Node host in a few lines. Run: node example.js LIB DB  (after npm install)
'use strict';
const { Plugin } = require('./ordercare');

const [library, db] = process.argv.slice(2);
const sent = [];
const now = Date.parse('2026-11-20T09:00:00Z');
const oc = new Plugin({ store: { path: db } }, {
  notify(request, key) {
    sent.push([key, request.message.text.split('\n')[0]]);
    return 'done';
  },
}, { library, clock: () => now });
oc.submit({ id: 'js-1', type: 'order.created', occurred_at: '2026-11-20T09:00:00Z', source: 'host', data: { order: {
  id: 'JS-1', placed_at: '2026-11-20T09:00:00Z', currency: 'EUR', total: 4999, channel: 'web',
  customer: { id: 'js-c1', name: 'Ada Example' },
  items: [{ line_id: '1', sku: 'MUG', name: 'Mug', quantity: 1, unit_price: 4999 }] } } });
const answer = oc.submit({ id: 'js-2', type: 'customer.message', occurred_at: '2026-11-20T09:05:00Z', source: 'host',
  data: { order_id: 'JS-1', customer: { id: 'js-c1' }, channel: 'email', text: 'The mug arrived broken.' } });
oc.poll();
const c = oc.call('case.get', { id: answer.cases[0] });
console.log(c.type, c.priority, c.status);
for (const [key, line] of sent) console.log(key, '->', line);
oc.close();
