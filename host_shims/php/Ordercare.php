<?php
// ordercare for PHP hosts, over FFI (PHP >= 7.4 with ext-ffi; the CLI has it
// enabled; under FPM set ffi.enable=true or preload this file).
//
//   $oc = new Ordercare\Plugin(['store' => ['path' => 'ordercare.db']], [
//       'refund' => function (array $request, string $key, int $attempt) {
//           // Do it once per key (check your own ledger), then:
//           return ['done', ['host_reference' => 're_123']];
//       },
//   ]);   // the library: ORDERCARE_LIB or pkg-config, unless named (see Plugin::findLibrary)
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
// build time and installed beside ordercare.h (FFI::cdef has no
// preprocessor). Composer: host_shims/php/composer.json autoloads this file.
namespace Ordercare;

/** The library or its FFI header could not be found or loaded: nothing was opened. */
final class LoadException extends \RuntimeException
{
}

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

    private const SONAME = 'libordercare.so.1';

    /**
     * $library and $ffiHeader default to what findLibrary() and
     * findFfiHeader() find.
     */
    public function __construct(array $config = [], array $callbacks = [], ?string $library = null,
                                ?string $ffiHeader = null, ?\Closure $clock = null)
    {
        $library ??= self::findLibrary();
        $this->ffi = self::load($library, $ffiHeader ?? self::findFfiHeader($library));
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

    /**
     * Where the library is when the host names none: $ORDERCARE_LIB, else
     * the libdir pkg-config gives for ordercare.pc (installed by cmake
     * --install; PKG_CONFIG_PATH for a prefix of your own), else the soname,
     * for the dynamic linker's own search.
     */
    public static function findLibrary(): string
    {
        $path = getenv('ORDERCARE_LIB');
        if (is_string($path) && $path !== '') {
            return $path;
        }
        $libdir = self::pkgConfigVariable('libdir');
        return $libdir !== null ? "$libdir/" . self::SONAME : self::SONAME;
    }

    /**
     * Where ordercare_ffi.h is when the host names none: $ORDERCARE_FFI_HEADER,
     * else next to the library (the build directory), else in the includedir
     * pkg-config gives. Null when none of them has it.
     */
    public static function findFfiHeader(string $library): ?string
    {
        $path = getenv('ORDERCARE_FFI_HEADER');
        if (is_string($path) && $path !== '') {
            return $path;
        }
        $candidates = [];
        if (str_contains($library, '/')) {
            $candidates[] = dirname($library) . '/ordercare_ffi.h';
        }
        $includedir = self::pkgConfigVariable('includedir');
        if ($includedir !== null) {
            $candidates[] = "$includedir/ordercare_ffi.h";
        }
        foreach ($candidates as $candidate) {
            if (is_file($candidate)) {
                return $candidate;
            }
        }
        return null;
    }

    private static function pkgConfigVariable(string $name): ?string
    {
        if (!function_exists('exec')) {
            return null;
        }
        $output = [];
        $status = 1;
        @exec('pkg-config --variable=' . escapeshellarg($name) . ' ordercare 2>/dev/null', $output, $status);
        $value = trim(implode('', $output));
        return $status === 0 && $value !== '' ? $value : null;
    }

    // FFI::cdef given no header, or the wrong one, still loads the library
    // and fails only at the first call ("undefined C function
    // 'oc_abi_version'"): each way it can go wrong is named here instead.
    private static function load(string $library, ?string $ffiHeader): \FFI
    {
        if (!extension_loaded('ffi')) {
            throw new LoadException('ordercare: PHP has no FFI extension (ext-ffi, PHP 8.1 or later)');
        }
        if ($ffiHeader === null) {
            throw new LoadException("ordercare: ordercare_ffi.h not found next to $library nor through pkg-config: "
                . 'pass the one generated with the library (the build directory, or the include directory '
                . 'after cmake --install) or set ORDERCARE_FFI_HEADER');
        }
        $declarations = is_file($ffiHeader) ? file_get_contents($ffiHeader) : false;
        if ($declarations === false) {
            throw new LoadException("ordercare: cannot read the FFI header $ffiHeader");
        }
        if (!str_contains($declarations, 'oc_abi_version')) {
            throw new LoadException("ordercare: $ffiHeader declares no oc_abi_version: it is not ordercare_ffi.h");
        }
        try {
            return \FFI::cdef($declarations, $library);
        } catch (\FFI\ParserException $error) {
            throw new LoadException("ordercare: $ffiHeader does not parse as plain C declarations ("
                . $error->getMessage() . '): give FFI ordercare_ffi.h, not ordercare.h', 0, $error);
        } catch (\FFI\Exception $error) {
            throw new LoadException('ordercare: ' . $error->getMessage() . ': pass the library path, '
                . 'set ORDERCARE_LIB, or put ordercare.pc on PKG_CONFIG_PATH', 0, $error);
        }
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
