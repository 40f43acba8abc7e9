<?php
// A PHP host in a few lines. Run: php example.php LIB FFI_HEADER DB
require __DIR__ . '/Ordercare.php';

[$_, $library, $header, $db] = $argv;
$sent = [];
$now = strtotime('2026-11-20T09:00:00Z') * 1000;
$oc = new Ordercare\Plugin(['store' => ['path' => $db]], [
    'notify' => function (array $request, string $key, int $attempt) use (&$sent) {
        $sent[] = [$key, strtok($request['message']['text'], "\n")];
        return 'done';
    },
], $library, $header, fn() => $now);
$oc->submit(['id' => 'php-1', 'type' => 'order.created', 'occurred_at' => '2026-11-20T09:00:00Z',
    'source' => 'host', 'data' => ['order' => [
        'id' => 'PHP-1', 'placed_at' => '2026-11-20T09:00:00Z', 'currency' => 'EUR', 'total' => 4999,
        'channel' => 'web', 'customer' => ['id' => 'php-c1', 'name' => 'Ada Example'],
        'items' => [['line_id' => '1', 'sku' => 'MUG', 'name' => 'Mug', 'quantity' => 1, 'unit_price' => 4999]]]]]);
$answer = $oc->submit(['id' => 'php-2', 'type' => 'customer.message', 'occurred_at' => '2026-11-20T09:05:00Z',
    'source' => 'host', 'data' => ['order_id' => 'PHP-1', 'customer' => ['id' => 'php-c1'],
        'channel' => 'email', 'text' => 'The mug arrived broken.']]);
$oc->poll();
$case = $oc->call('case.get', ['id' => $answer['cases'][0]]);
echo $case['type'], ' ', $case['priority'], ' ', $case['status'], "\n";
foreach ($sent as [$key, $line]) {
    echo $key, ' -> ', $line, "\n";
}
try {
    $oc->call('case.close', ['id' => $answer['cases'][0], 'agent' => 'ana']);
} catch (Ordercare\OrdercareException $e) {
    echo 'refused: ', $e->name, "\n";
}
$oc->close();
