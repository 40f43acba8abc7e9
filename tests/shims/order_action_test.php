<?php
// The PHP shim's order_action (ABI 1.3): a wrong item gets a replacement and
// a return label from the host, and the customer's notice waits for both.
// Run: php -d ffi.enable=true order_action_test.php SHIM LIB FFI_HEADER DB
require $argv[1];

$done = [];
$notices = [];
$oc = new Ordercare\Plugin(['store' => ['path' => $argv[4]]], [
    'order_action' => function (array $request, string $key, int $attempt) use (&$done) {
        $done[$key] ??= $request['action'];
        if ($request['action'] === 'reship') {
            return ['done', ['carrier' => 'dhl', 'tracking_number' => 'JD1', 'eta' => '2026-11-23T12:00:00Z']];
        }
        if ($request['action'] === 'return_label') {
            return ['done', ['label_url' => "https://labels.example.com/$key", 'tracking_number' => 'RL1']];
        }
        return ['done', ['code' => 'SORRY5']];
    },
    'notify' => function (array $request, string $key, int $attempt) use (&$notices) {
        $notices[] = $request['template'];
        return 'done';
    },
], $argv[2], $argv[3]);
$oc->submit(['id' => 'php-o1', 'type' => 'order.created', 'occurred_at' => '2026-11-20T09:00:00Z', 'source' => 'host',
    'data' => ['order' => ['id' => 'HO-1', 'placed_at' => '2026-11-20T09:00:00Z', 'currency' => 'EUR',
        'total' => 4999, 'channel' => 'web', 'customer' => ['id' => 'php-c1', 'name' => 'Ann'],
        'items' => [['line_id' => '1', 'sku' => 'MUG', 'name' => 'Mug', 'quantity' => 1, 'unit_price' => 4999]]]]]);
$oc->submit(['id' => 'php-m1', 'type' => 'customer.message', 'occurred_at' => '2026-11-20T10:00:00Z',
    'source' => 'host', 'data' => ['order_id' => 'HO-1', 'customer' => ['id' => 'php-c1'], 'channel' => 'email',
        'text' => 'I got the wrong item']]);
for ($i = 0; $i < 10; $i++) {
    $oc->poll();
}
$kinds = array_values($done);
sort($kinds);
if ($kinds !== ['reship', 'return_label']) {
    throw new RuntimeException('order actions: ' . json_encode($done));
}
if (!in_array('wrong_item_replacement', $notices, true)) {
    throw new RuntimeException('notices: ' . json_encode($notices));
}
$oc->close();
echo "order_action ok\n";
