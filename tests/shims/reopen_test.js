// The Node shim opens and closes plugins repeatedly in one process: koffi's
// types are declared once, however many plugins come and go (before, the
// second open threw "Duplicate type name 'oc_request'"). Two plugins open
// at once on two stores, each with its own callbacks, and the library named
// two ways. Run: node reopen_test.js SHIM LIB DB
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Plugin } = require(process.argv[2]);

const [library, db] = process.argv.slice(3);
const now = Date.parse('2026-11-20T09:00:00Z');
const order = (n) => ({
  id: `js-r${n}`, type: 'order.created', occurred_at: '2026-11-20T09:00:00Z', source: 'host',
  data: { order: { id: `JSR-${n}`, placed_at: '2026-11-20T09:00:00Z', currency: 'EUR', total: 4999, channel: 'web',
    customer: { id: 'js-c1' }, items: [{ line_id: '1', sku: 'MUG', name: 'Mug', quantity: 1, unit_price: 4999 }] } },
});
const complaint = (n) => ({
  id: `js-m${n}`, type: 'customer.message', occurred_at: '2026-11-20T09:05:00Z', source: 'host',
  data: { order_id: `JSR-${n}`, customer: { id: 'js-c1' }, channel: 'email', text: 'The mug arrived broken.' },
});
const remove = (file) => ['', '-wal', '-shm', '.key', '.lock'].forEach((s) => fs.rmSync(file + s, { force: true }));

function open(store, sent, lib = library) {
  return new Plugin({ store: { path: store } }, {
    notify(request, key) { sent.push(key); return 'done'; },
  }, { library: lib, clock: () => now });
}

// One after another on the same store: each sees what the last committed.
const sent = [];
for (let n = 1; n <= 5; n += 1) {
  const oc = open(db, sent, n % 2 ? library : path.relative(process.cwd(), library) || library);
  assert.strictEqual(oc.submit(order(n)).status, 'accepted');
  assert.strictEqual(oc.submit(complaint(n)).status, 'accepted');
  oc.poll();
  assert.strictEqual(oc.call('cases.list').cases.length, n);
  oc.close();
  oc.close();  // a second close does nothing
}
assert.ok(sent.length >= 5, `notify ran ${sent.length} times`);

// Two at once, on two stores, each calling back its own host.
const other = `${db}-other`;
remove(other);
const [a, b] = [[], []];
const first = open(db, a);
const second = open(other, b);
second.submit(order(9));
second.submit(complaint(9));
first.poll();
second.poll();
assert.ok(b.length > 0);
assert.strictEqual(first.call('cases.list').cases.length, 5);
assert.strictEqual(second.call('cases.list').cases.length, 1);
first.close();
second.close();
remove(other);
console.log('reopen ok');
