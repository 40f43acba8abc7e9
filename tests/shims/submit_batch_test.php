<?php
// The PHP shim's submitBatch: one answer per event, in order, a refused
// event answered alone, a whole-call failure thrown. Run: php -d
// ffi.enable=true submit_batch_test.php SHIM LIB FFI_HEADER DB
require $argv[1];

use Ordercare\OrdercareException;
use Ordercare\Plugin;

function order(string $eventId, string $orderId): array
{
    return ['id' => $eventId, 'type' => 'order.created', 'occurred_at' => '2026-11-20T09:00:00Z', 'source' => 'host',
        'data' => ['order' => ['id' => $orderId, 'placed_at' => '2026-11-20T09:00:00Z', 'currency' => 'EUR',
            'total' => 4999, 'channel' => 'web', 'customer' => ['id' => 'php-c1'],
            'items' => [['line_id' => '1', 'sku' => 'MUG', 'name' => 'Mug', 'quantity' => 1, 'unit_price' => 4999]]]]];
}

function check(bool $ok, string $what): void
{
    if (!$ok) {
        fwrite(STDERR, "failed: $what\n");
        exit(1);
    }
}

$oc = new Plugin(['store' => ['path' => $argv[4]], 'limits' => ['max_batch_events' => 4]], [], $argv[2], $argv[3]);
$answers = $oc->submitBatch([order('php-b1', 'PHB-1'), 'not json', order('php-b1', 'PHB-1'), order('php-b2', 'PHB-2')]);
check(array_column($answers, 'status') === ['accepted', 'error', 'duplicate', 'accepted'], json_encode($answers));
check($answers[1]['code'] === 'OC_ERR_JSON' && str_contains($answers[1]['message'], 'byte'), json_encode($answers[1]));
check($answers[3]['event_id'] === 'php-b2', 'the fourth answer is the fourth event');
check($oc->call('order.get', ['id' => 'PHB-2'])['id'] === 'PHB-2', 'the order after a refused event is stored');
check($oc->submitBatch([]) === [], 'an empty batch answers []');
try {
    $oc->submitBatch(array_map(fn($i) => order("php-x$i", "PHX-$i"), range(1, 5)));
    check(false, 'a batch over limits.max_batch_events was accepted');
} catch (OrdercareException $e) {
    check($e->name === 'OC_ERR_TOO_LARGE' && str_contains($e->getMessage(), 'max_batch_events'), $e->getMessage());
}
check(count($oc->call('events.list')['events']) === 2, 'two events stored');
$oc->close();
echo "submit_batch ok\n";
