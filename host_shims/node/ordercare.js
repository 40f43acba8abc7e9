// ordercare for Node.js hosts, over koffi (npm install host_shims/node).
//
//   const { Plugin } = require('./ordercare');
//   const oc = new Plugin({ store: { path: 'ordercare.db' } }, {
//     refund(request, key, attempt) { /* once per key */ return ['done', { host_reference: 're_1' }]; },
//   });   // the library: ORDERCARE_LIB, pkg-config, or { library: PATH }
//   oc.submit({...}); oc.call('cases.list', { priority: 'P1' });
//   const answers = oc.submitBatch([event1, event2]);   // one call, one commit
//   oc.poll();   // callbacks run here, on Node's main thread
//
// Callbacks: refund, adjust_inventory, notify, lookup_order and (ABI 1.3)
// order_action, whose request names the "action" (reship,
// exchange, cancel, return_label, offer) and whose answer carries what
// abi/CALLBACKS.md says, e.g. ['done', { label_url, tracking_number }].
// Callbacks run only inside poll(), never on the plugin's thread (Node
// cannot be called from a foreign thread). Call poll() from a timer, or
// watch oc.wakeupFd with a native poller.
'use strict';
const path = require('path');
const koffi = (() => {
  try {
    return require('koffi');
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND' || !error.message.includes("'koffi'")) throw error;
    throw new Error(`ordercare: koffi is not installed (${error.message.split('\n')[0]}): npm install in host_shims/node, `
      + 'as ./scripts/setup does');
  }
})();

const OUTCOMES = { done: 0, rejected: 1, retry_later: 2, pending: 3 };

class OrdercareError extends Error {
  constructor(status, name, message) {
    super(`${name}: ${message}`);
    Object.assign(this, { status, name: name, detail: message });
  }
}

// koffi's type names are global to the process: a second declaration of
// 'oc_request' throws "Duplicate type name". They are declared once, on
// first use, and shared by every plugin the process opens.
let types = null;
function declareTypes() {
  if (types) return types;
  const Request = koffi.struct('oc_request', {
    struct_size: 'uint32_t', attempt: 'uint32_t', idempotency_key: 'const char *', json: 'const char *',
    json_len: 'size_t',
  });
  const Effect = koffi.proto('int32_t oc_effect_fn(void *user_data, const oc_request *request, void *reply)');
  const Log = koffi.proto('void oc_log_fn(void *user_data, int32_t level, const char *message, size_t len)');
  const Now = koffi.proto('int64_t oc_now_fn(void *user_data)');
  const Host = koffi.struct('oc_host', {
    struct_size: 'uint32_t', user_data: 'void *', refund: koffi.pointer(Effect),
    adjust_inventory: koffi.pointer(Effect), notify: koffi.pointer(Effect), lookup_order: koffi.pointer(Effect),
    log: koffi.pointer(Log), now_ms: koffi.pointer(Now),
    order_action: koffi.pointer(Effect),  // ABI 1.3
  });
  const Options = koffi.struct('oc_options', {
    struct_size: 'uint32_t', flags: 'uint32_t', config_json: 'const char *', config_len: 'size_t',
  });
  types = { Request, Effect, Log, Now, Host, Options };
  return types;
}

// Where the library is when the host names none: ORDERCARE_LIB, else the
// libdir pkg-config gives for ordercare.pc (PKG_CONFIG_PATH for a prefix
// of your own), else the soname through the dynamic linker's search path.
const SONAME = 'libordercare.so.1';
function findLibrary() {
  if (process.env.ORDERCARE_LIB) return process.env.ORDERCARE_LIB;
  try {
    const { execFileSync } = require('child_process');
    const libdir = execFileSync('pkg-config', ['--variable=libdir', 'ordercare'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (libdir) return path.join(libdir, SONAME);
  } catch (error) {  // no pkg-config, or no ordercare.pc on its path
  }
  return SONAME;
}

// One binding per library file, however many plugins are opened on it.
const bound = new Map();
function bind(file) {
  if (bound.has(file)) return bound.get(file);
  declareTypes();
  const lib = koffi.load(file);
  const abiVersion = lib.func('uint32_t oc_abi_version(void)');
  const binding = {
    types,
    abiVersion,
    statusName: lib.func('const char *oc_status_name(int32_t status)'),
    lastError: lib.func('const char *oc_last_error(void)'),
    open: lib.func('int32_t oc_open(const oc_options *options, const oc_host *host, _Out_ void **out)'),
    close: lib.func('int32_t oc_close(void *plugin)'),
    submit: lib.func('int32_t oc_submit(void *plugin, const char *json, size_t len, _Out_ void **result)'),
    // ABI 1.2; null with an older library.
    submitBatch: (abiVersion() & 0xFFFF) >= 2
      ? lib.func('int32_t oc_submit_batch(void *plugin, const char **events, const size_t *lens, size_t count, _Out_ void **result)')
      : null,
    call: lib.func('int32_t oc_call(void *plugin, const char *method, const char *json, size_t len, _Out_ void **result)'),
    poll: lib.func('int32_t oc_poll(void *plugin, uint32_t max, _Out_ uint32_t *ran)'),
    wakeupFd: lib.func('int32_t oc_wakeup_fd(void *plugin)'),
    bufferData: lib.func('const char *oc_buffer_data(void *buffer)'),
    bufferFree: lib.func('void oc_buffer_free(void *buffer)'),
    replySet: lib.func('int32_t oc_reply_set(void *reply, const char *json, size_t len)'),
  };
  bound.set(file, binding);
  return binding;
}

class Plugin {
  constructor(config = {}, callbacks = {}, { library = findLibrary(), clock } = {}) {
    this.lib = bind(library);
    if (this.lib.abiVersion() >>> 16 !== 1) throw new OrdercareError(17, 'OC_ERR_VERSION', 'this shim needs ABI 1.x');
    const { types } = this.lib;
    this.registered = [];
    const host = { struct_size: koffi.sizeof(types.Host), user_data: null };
    if (callbacks.order_action && (this.lib.abiVersion() & 0xFFFF) < 3)
      throw new OrdercareError(17, 'OC_ERR_VERSION', 'order_action needs libordercare ABI 1.3 or later');
    for (const kind of ['refund', 'adjust_inventory', 'notify', 'lookup_order', 'order_action']) {
      host[kind] = callbacks[kind] ? this.register(this.trampoline(callbacks[kind]), types.Effect) : null;
    }
    host.log = callbacks.log ? this.register((u, level, message) => callbacks.log(level, message), types.Log) : null;
    host.now_ms = clock ? this.register(() => BigInt(clock()), types.Now) : null;
    const json = JSON.stringify(config);
    const options = { struct_size: koffi.sizeof(types.Options), flags: 0, config_json: json,
                      config_len: Buffer.byteLength(json) };
    const out = [null];
    this.check(this.lib.open(options, host, out));
    this.handle = out[0];
  }

  register(fn, proto) {
    const registered = koffi.register(fn, koffi.pointer(proto));
    this.registered.push(registered);
    return registered;
  }

  trampoline(callback) {
    const { Request } = this.lib.types;
    return (userData, pointer, reply) => {
      const request = koffi.decode(pointer, Request);
      const body = JSON.parse(request.json);  // koffi decodes const char * to a string
      let answer;
      try {
        answer = callback(body, request.idempotency_key, request.attempt);
      } catch (error) {  // never let a JS error cross into C
        answer = ['retry_later', { reason: `host error: ${error.message}` }];
      }
      const [outcome, detail] = Array.isArray(answer) ? answer : [answer, null];
      if (detail) {
        const data = JSON.stringify(detail);
        this.lib.replySet(reply, data, Buffer.byteLength(data));
      }
      return OUTCOMES[outcome] ?? OUTCOMES.retry_later;
    };
  }

  check(status) {
    if (status !== 0) throw new OrdercareError(status, this.lib.statusName(status), this.lib.lastError());
  }

  take(buffer) {
    try {
      return JSON.parse(this.lib.bufferData(buffer));
    } finally {
      this.lib.bufferFree(buffer);
    }
  }

  submit(event) {
    const json = typeof event === 'string' ? event : JSON.stringify(event);
    const out = [null];
    this.check(this.lib.submit(this.handle, json, Buffer.byteLength(json), out));
    return this.take(out[0]);
  }

  // Many events (objects, or JSON strings) in one call, committed together.
  // One answer per event, in order: what submit() returns for it, or
  // { status: 'error', code: 'OC_ERR_SCHEMA', message } for an event
  // refused alone. Throws only when the whole call fails (nothing written).
  submitBatch(events) {
    if (!this.lib.submitBatch) throw new OrdercareError(17, 'OC_ERR_VERSION', 'submitBatch needs a library of ABI 1.2 or later');
    const json = events.map((event) => (typeof event === 'string' ? event : JSON.stringify(event)));
    const out = [null];
    this.check(this.lib.submitBatch(this.handle, json, json.map((text) => Buffer.byteLength(text)), json.length, out));
    return this.take(out[0]);
  }

  call(method, args = {}) {
    const json = JSON.stringify(args);
    const out = [null];
    this.check(this.lib.call(this.handle, method, json, Buffer.byteLength(json), out));
    return this.take(out[0]);
  }

  poll(max = 64) {
    const ran = [0];
    this.check(this.lib.poll(this.handle, max, ran));
    return ran[0];
  }

  get wakeupFd() {
    return this.lib.wakeupFd(this.handle);
  }

  close() {
    if (!this.handle) return;
    this.check(this.lib.close(this.handle));
    this.handle = null;
    for (const r of this.registered) koffi.unregister(r);
    this.registered = [];
  }
}

module.exports = { Plugin, OrdercareError, findLibrary };
