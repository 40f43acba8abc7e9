<?php
// ordercare for PHP hosts, over FFI (PHP >= 7.4 with ext-ffi; the CLI has it
// enabled; under FPM set ffi.enable=true or preload this file).
//
//   $oc = new Ordercare\Plugin(['store' => ['path' => 'ordercare.db']], [
//       'refund' => function (array $request, string $key, int $attempt) {
//           // Do it once per key (check your own ledger), then:
//           return ['done', ['host_reference' => 're_123']];
//       },
//   ], '/usr/lib/libordercare.so', '/usr/lib/ordercare_ffi.h');
//   $oc->submit([...]);  $oc->call('cases.list', ['priority' => 'P1']);
//   $answers = $oc->submitBatch([$event1, $event2]);   // one call, one commit
//   $oc->poll();         // callbacks run here, in this PHP thread
//
// Callbacks: refund, adjust_inventory, notify, lookup_order and (ABI 1.3)
// order_action, whose request names the "action" (reship, exchange, cancel,
// return_label, offer) and whose answer carries what abi/CALLBACKS.md says,
// e.g. ['done', ['label_url' => ..., 'tracking_number' => ...]].
// Callbacks run only inside poll(): PHP must never be called back from the
// plugin's own thread. ordercare_ffi.h is generated next to the library at
// build time (FFI::cdef has no preprocessor).
namespace Ordercare;

final class OrdercareException extends \RuntimeException
{
    public function __construct(public readonly int $status, public readonly string $name, string $message)
    {
        parent::__construct("$name: $message", $status);
    }
}

final class Plugin
{
    private const OUTCOMES = ['done' => 0, 'rejected' => 1, 'retry_later' => 2, 'pending' => 3];
    private \FFI $ffi;
    private $handle;
    private $host;
    private array $keep = [];

    public function __construct(array $config, array $callbacks, string $library, string $ffiHeader,
                                ?\Closure $clock = null)
    {
        $this->ffi = \FFI::cdef(file_get_contents($ffiHeader), $library);
        if (($this->ffi->oc_abi_version() >> 16) !== 1) {
            throw new OrdercareException(17, 'OC_ERR_VERSION', 'this shim needs ABI 1.x');
        }
        $this->host = $this->ffi->new('oc_host');
        $this->host->struct_size = \FFI::sizeof($this->host);
        if (isset($callbacks['order_action']) && ($this->ffi->oc_abi_version() & 0xFFFF) < 3) {
            throw new OrdercareException(17, 'OC_ERR_VERSION', 'order_action needs libordercare ABI 1.3 or later');
        }
        foreach (['refund', 'adjust_inventory', 'notify', 'lookup_order', 'order_action'] as $kind) {
            if (isset($callbacks[$kind])) {
                $this->keep[$kind] = $this->trampoline($callbacks[$kind]);
                $this->host->{$kind} = $this->keep[$kind];
            }
        }
        if ($clock !== null) {
            $this->keep['now_ms'] = fn($userData) => (int) $clock();
            $this->host->now_ms = $this->keep['now_ms'];
        }
        $json = json_encode($config ?: new \stdClass(), JSON_THROW_ON_ERROR);
        $options = $this->ffi->new('oc_options');
        $options->struct_size = \FFI::sizeof($options);
        $text = $this->ffi->new('char[' . (strlen($json) + 1) . ']', false);
        \FFI::memcpy($text, $json, strlen($json));
        $options->config_json = $text;
        $options->config_len = strlen($json);
        $handle = $this->ffi->new('oc_plugin*');
        $status = $this->ffi->oc_open(\FFI::addr($options), \FFI::addr($this->host), \FFI::addr($handle));
        \FFI::free($text);
        $this->check($status);
        $this->handle = $handle;
    }

    private function trampoline(callable $callback): \Closure
    {
        $ffi = $this->ffi;
        return function ($userData, $request, $reply) use ($ffi, $callback): int {
            $body = json_decode(\FFI::string($request->json, $request->json_len), true);
            try {
                $answer = $callback($body, \FFI::string($request->idempotency_key), $request->attempt);
            } catch (\Throwable $error) {  // never let a PHP error cross into C
                $answer = ['retry_later', ['reason' => 'host error: ' . $error->getMessage()]];
            }
            [$outcome, $detail] = is_array($answer) ? $answer + [1 => null] : [$answer, null];
            if ($detail) {
                $data = json_encode($detail);
                $ffi->oc_reply_set($reply, $data, strlen($data));
            }
            return self::OUTCOMES[$outcome] ?? self::OUTCOMES['retry_later'];
        };
    }

    private function check(int $status): void
    {
        if ($status !== 0) {
            throw new OrdercareException($status, $this->ffi->oc_status_name($status), $this->ffi->oc_last_error());
        }
    }

    private function take($buffer): ?array
    {
        // FFI hands a `const char *` result back as a PHP string already.
        $size = $this->ffi->oc_buffer_size($buffer);
        $text = $size ? substr($this->ffi->oc_buffer_data($buffer), 0, $size) : null;
        $this->ffi->oc_buffer_free($buffer);
        return $text === null ? null : json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    public function submit(array|string $event): array
    {
        $data = is_string($event) ? $event : json_encode($event, JSON_THROW_ON_ERROR);
        $buffer = $this->ffi->new('oc_buffer*');
        $this->check($this->ffi->oc_submit($this->handle, $data, strlen($data), \FFI::addr($buffer)));
        return $this->take($buffer);
    }

    /**
     * Submits many events (arrays, or JSON strings) in one call, committed
     * together. Returns one answer per event, in order: what submit()
     * returns for it, or ['status' => 'error', 'code' => 'OC_ERR_SCHEMA',
     * 'message' => ...] for an event refused alone. Throws only when the
     * whole call fails (nothing was written).
     */
    public function submitBatch(array $events): array
    {
        if (($this->ffi->oc_abi_version() & 0xFFFF) < 2) {
            throw new OrdercareException(17, 'OC_ERR_VERSION', 'submitBatch needs a library of ABI 1.2 or later');
        }
        $count = count($events);
        $pointers = $this->ffi->new('const char *[' . max($count, 1) . ']');
        $lens = $this->ffi->new('size_t[' . max($count, 1) . ']');
        $copies = [];  // the bytes the pointers point to, alive until the call returns
        foreach (array_values($events) as $i => $event) {
            $data = is_string($event) ? $event : json_encode($event, JSON_THROW_ON_ERROR);
            $copy = $this->ffi->new('char[' . max(strlen($data), 1) . ']');
            \FFI::memcpy($copy, $data, strlen($data));
            $copies[] = $copy;
            $pointers[$i] = \FFI::addr($copy[0]);
            $lens[$i] = strlen($data);
        }
        $buffer = $this->ffi->new('oc_buffer*');
        $this->check($this->ffi->oc_submit_batch($this->handle, $pointers, $lens, $count, \FFI::addr($buffer)));
        return $this->take($buffer);
    }

    public function call(string $method, array $args = []): array
    {
        $data = json_encode($args ?: new \stdClass(), JSON_THROW_ON_ERROR);
        $buffer = $this->ffi->new('oc_buffer*');
        $this->check($this->ffi->oc_call($this->handle, $method, $data, strlen($data), \FFI::addr($buffer)));
        return $this->take($buffer);
    }

    public function poll(int $max = 64): int
    {
        $ran = $this->ffi->new('uint32_t');
        $this->check($this->ffi->oc_poll($this->handle, $max, \FFI::addr($ran)));
        return $ran->cdata;
    }

    public function wakeupFd(): int
    {
        return $this->ffi->oc_wakeup_fd($this->handle);
    }

    public function close(): void
    {
        if ($this->handle !== null) {
            $this->check($this->ffi->oc_close($this->handle));
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }
}
