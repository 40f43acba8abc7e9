"""ordercare for Python hosts, over ctypes.

    from ordercare import Plugin

    def refund(request, key, attempt):
        # Do it once per key (check your own ledger), then:
        return "done", {"host_reference": "re_123"}

    with Plugin({"store": {"path": "ordercare.db"}}, refund=refund) as oc:   # library: see find_library
        print(oc.submit({"id": "e1", "type": "order.created", ...}))
        for answer in oc.submit_batch([event1, event2]):   # one call, one commit
            print(answer["status"])    # "accepted", "duplicate" or "error" (code, message)
        print(oc.call("cases.list", {"priority": "P1"}))
        oc.poll()            # callbacks run here, on this thread

Callbacks (refund, adjust_inventory, notify, lookup_order, and from ABI 1.3
order_action) receive (request: dict, idempotency_key: str, attempt: int)
and return an outcome ("done", "rejected", "retry_later", "pending") or a
pair (outcome, detail dict). order_action's request says which "action"
(reship, exchange, cancel, return_label, offer); its detail carries what
abi/CALLBACKS.md says, e.g. ("done", {"label_url": ..., "tracking_number": ...}). They run only inside poll(), on the calling thread:
register oc.wakeup_fd with selectors/asyncio and poll when it is readable.

Install with `pip install host_shims/python` (no dependencies). Without a
`library` argument the plugin is found through ORDERCARE_LIB or pkg-config
(find_library).
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
from typing import Any, Callable, Dict, List, Optional, Tuple, Union, cast

__all__ = ["Plugin", "OrdercareError", "find_library", "Outcome", "Callback"]

ABI_MAJOR = 1
SONAME = f"libordercare.so.{ABI_MAJOR}"
OUTCOMES = {"done": 0, "rejected": 1, "retry_later": 2, "pending": 3}

# What a callback returns: "done", "rejected", "retry_later" or "pending",
# or that with a detail dict (abi/CALLBACKS.md).
Outcome = Union[str, Tuple[str, Optional[Dict[str, Any]]]]
# A callback: (request, idempotency_key, attempt) -> Outcome.
Callback = Callable[[Dict[str, Any], str, int], Outcome]
Event = Union[Dict[str, Any], bytes]


class OrdercareError(Exception):
    """A call failed: .status is the oc_status number, .name its symbol."""

    def __init__(self, status: int, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.status, self.name, self.message = status, name, message


class _Options(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("config_json", ctypes.c_char_p), ("config_len", ctypes.c_size_t)]


class _Request(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("attempt", ctypes.c_uint32),
                ("idempotency_key", ctypes.c_char_p), ("json", ctypes.c_char_p),
                ("json_len", ctypes.c_size_t)]


_EFFECT = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(_Request), ctypes.c_void_p)
_LOG = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t)
_NOW = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p)


class _Host(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("user_data", ctypes.c_void_p),
                ("refund", _EFFECT), ("adjust_inventory", _EFFECT), ("notify", _EFFECT),
                ("lookup_order", _EFFECT), ("log", _LOG), ("now_ms", _NOW),
                ("order_action", _EFFECT)]  # ABI 1.3


def find_library() -> str:
    """Where the plugin is when the host names none: $ORDERCARE_LIB, else
    the libdir that pkg-config gives for ordercare.pc (installed by
    `cmake --install`; PKG_CONFIG_PATH for a prefix of your own), else the
    soname, for the dynamic linker's own search."""
    path = os.environ.get("ORDERCARE_LIB")
    if path:
        return path
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "ordercare"], capture_output=True,
                                text=True, check=True).stdout.strip()
        if libdir:
            return os.path.join(os.path.normpath(libdir), SONAME)
    except (OSError, subprocess.CalledProcessError):  # no pkg-config, or no ordercare.pc on its path
        pass
    return SONAME


def _load(path: Optional[str]) -> ctypes.CDLL:
    path = path or find_library()
    try:
        lib = ctypes.CDLL(path)
    except OSError as error:
        raise OSError(f"cannot load libordercare ({error}): pass library=PATH, set ORDERCARE_LIB, "
                      "or put ordercare.pc on PKG_CONFIG_PATH") from error
    lib.oc_abi_version.restype = ctypes.c_uint32
    lib.oc_status_name.restype = ctypes.c_char_p
    lib.oc_last_error.restype = ctypes.c_char_p
    lib.oc_open.argtypes = [ctypes.POINTER(_Options), ctypes.POINTER(_Host), ctypes.POINTER(ctypes.c_void_p)]
    lib.oc_close.argtypes = [ctypes.c_void_p]
    lib.oc_submit.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
    if (lib.oc_abi_version() & 0xFFFF) >= 2:
        lib.oc_submit_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                        ctypes.POINTER(ctypes.c_size_t), ctypes.c_size_t,
                                        ctypes.POINTER(ctypes.c_void_p)]
    lib.oc_call.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                            ctypes.POINTER(ctypes.c_void_p)]
    lib.oc_poll.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32)]
    lib.oc_wakeup_fd.argtypes = [ctypes.c_void_p]
    lib.oc_wakeup_fd.restype = ctypes.c_int32
    lib.oc_buffer_data.argtypes = [ctypes.c_void_p]
    lib.oc_buffer_data.restype = ctypes.c_void_p
    lib.oc_buffer_size.argtypes = [ctypes.c_void_p]
    lib.oc_buffer_size.restype = ctypes.c_size_t
    lib.oc_buffer_free.argtypes = [ctypes.c_void_p]
    lib.oc_reply_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    major = lib.oc_abi_version() >> 16
    if major != ABI_MAJOR:
        raise OrdercareError(17, "OC_ERR_VERSION", f"library ABI {major}.x, this shim needs {ABI_MAJOR}.x")
    return lib


class Plugin:
    def __init__(self, config: Optional[Dict[str, Any]] = None, library: Optional[str] = None,
                 clock: Optional[Callable[[], int]] = None, log: Optional[Callable[[int, str], None]] = None,
                 **callbacks: Callback) -> None:
        self._lib = _load(library)
        self._keep: List[Any] = []  # ctypes callbacks must outlive the plugin
        host = _Host(struct_size=ctypes.sizeof(_Host))
        if callbacks.get("order_action") and (self._lib.oc_abi_version() & 0xFFFF) < 3:
            raise OrdercareError(17, "OC_ERR_VERSION", "order_action needs libordercare ABI 1.3 or later")
        for kind in ("refund", "adjust_inventory", "notify", "lookup_order", "order_action"):
            if callbacks.get(kind):
                fn = _EFFECT(self._effect(callbacks[kind]))
                self._keep.append(fn)
                setattr(host, kind, fn)
        if log:
            emit = log
            fn = _LOG(lambda _u, level, message, size: emit(level, ctypes.string_at(message, size).decode()))
            self._keep.append(fn)
            host.log = fn
        if clock:
            read_clock = clock
            fn = _NOW(lambda _u: int(read_clock()))
            self._keep.append(fn)
            host.now_ms = fn
        text = json.dumps(config or {}).encode()
        options = _Options(ctypes.sizeof(_Options), 0, text, len(text))
        handle = ctypes.c_void_p()
        self._check(self._lib.oc_open(ctypes.byref(options), ctypes.byref(host), ctypes.byref(handle)))
        self._host = host
        self._handle: Optional[ctypes.c_void_p] = handle

    def _effect(self, callback: Callback) -> Callable[..., int]:
        lib = self._lib

        def trampoline(_user_data: Any, request: Any, reply: Any) -> int:
            r = request.contents
            body = json.loads(ctypes.string_at(r.json, r.json_len))
            try:
                answer = callback(body, r.idempotency_key.decode(), r.attempt)
            except Exception as error:  # never let a Python error cross into C
                answer = ("retry_later", {"reason": f"host error: {error}"})
            outcome, detail = answer if isinstance(answer, tuple) else (answer, None)
            if detail:
                data = json.dumps(detail).encode()
                lib.oc_reply_set(reply, data, len(data))
            return OUTCOMES.get(outcome, OUTCOMES["retry_later"])

        return trampoline

    def _check(self, status: int) -> None:
        if status != 0:
            raise OrdercareError(status, self._lib.oc_status_name(status).decode(),
                                 self._lib.oc_last_error().decode())

    def _take(self, buffer: ctypes.c_void_p) -> Any:
        try:
            size = self._lib.oc_buffer_size(buffer)
            return json.loads(ctypes.string_at(self._lib.oc_buffer_data(buffer), size)) if size else None
        finally:
            self._lib.oc_buffer_free(buffer)

    def submit(self, event: Event) -> Dict[str, Any]:
        data = event if isinstance(event, bytes) else json.dumps(event).encode()
        buffer = ctypes.c_void_p()
        self._check(self._lib.oc_submit(self._handle, data, len(data), ctypes.byref(buffer)))
        return cast(Dict[str, Any], self._take(buffer))

    def submit_batch(self, events: List[Event]) -> List[Dict[str, Any]]:
        """Submits many events (dicts, or JSON bytes) in one call, committed
        together. Returns one answer per event, in order: what submit()
        returns for it, or {"status": "error", "code": "OC_ERR_SCHEMA",
        "message": ...} for an event refused alone. Raises OrdercareError
        only when the whole call fails (nothing was written)."""
        if (self._lib.oc_abi_version() & 0xFFFF) < 2:
            raise OrdercareError(17, "OC_ERR_VERSION", "submit_batch needs a library of ABI 1.2 or later")
        data = [event if isinstance(event, bytes) else json.dumps(event).encode() for event in events]
        pointers = (ctypes.c_char_p * len(data))(*data)
        lens = (ctypes.c_size_t * len(data))(*(len(d) for d in data))
        buffer = ctypes.c_void_p()
        self._check(self._lib.oc_submit_batch(self._handle, pointers, lens, len(data), ctypes.byref(buffer)))
        return cast(List[Dict[str, Any]], self._take(buffer))

    def call(self, method: str, args: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(args or {}).encode()
        buffer = ctypes.c_void_p()
        self._check(self._lib.oc_call(self._handle, method.encode(), data, len(data), ctypes.byref(buffer)))
        return self._take(buffer)

    def poll(self, max_callbacks: int = 64) -> int:
        ran = ctypes.c_uint32()
        self._check(self._lib.oc_poll(self._handle, max_callbacks, ctypes.byref(ran)))
        return int(ran.value)

    @property
    def wakeup_fd(self) -> int:
        return int(self._lib.oc_wakeup_fd(self._handle))

    def close(self) -> None:
        if self._handle:
            self._check(self._lib.oc_close(self._handle))
            self._handle = None

    def __enter__(self) -> Plugin:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
