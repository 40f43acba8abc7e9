// oc_open, oc_close, oc_submit, oc_submit_batch, oc_call, oc_poll,
// oc_wakeup_fd: argument checks, then one call into the runtime, inside the
// catch-all.
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "boundary/guard.h"
#include "boundary/handles.h"
#include "runtime/callback_scope.h"
#include "boundary/struct_size.h"
#include "common/utf8.h"
#include "runtime/config.h"

using ordercare::fail;
using ordercare::boundary::guarded;

namespace {

// Sizes of the structs as ABI 1.0 defined them; later minor versions append.
constexpr std::size_t kOptionsV1Size = sizeof(oc_options);
constexpr std::size_t kHostV1Size = offsetof(oc_host, order_action);  // ABI 1.3 appended order_action

void require_plugin(const oc_plugin *p) {
  if (!p || !p->impl) fail(OC_ERR_ARGUMENT, "plugin is NULL or closed");
}

// Method names are short ASCII ("cases.list"). Read at most one byte past
// the bound, so a name without its NUL is not followed through the host's
// memory, and never echo bytes that are not UTF-8 into a message.
constexpr std::size_t kMaxMethodBytes = 128;

void check_method_name(const char *method) {
  const std::size_t len = ::strnlen(method, kMaxMethodBytes + 1);
  if (len > kMaxMethodBytes)
    fail(OC_ERR_UNKNOWN_METHOD,
         "oc_call: method name longer than " + std::to_string(kMaxMethodBytes) + " bytes (or not NUL-terminated)");
  if (auto bad = ordercare::find_invalid_utf8(std::string_view(method, len)))
    fail(OC_ERR_UTF8, "oc_call: method: invalid UTF-8 at byte " + std::to_string(*bad));
}

oc_buffer *new_buffer(std::string text) {
  auto buffer = std::make_unique<oc_buffer>();
  buffer->bytes = std::move(text);
  return buffer.release();
}

oc_buffer *new_buffer(const ordercare::Json &value) { return new_buffer(ordercare::dump_json(value)); }

// oc_submit_batch's result: each event's answer as oc_submit would give
// it, a failure by its status's name; the text dump_json would write of
// the array, put together from the answers' own texts.
std::string batch_result(std::vector<ordercare::runtime::BatchAnswer> &answers) {
  std::size_t size = 2;
  for (const auto &answer : answers) size += answer.result.size() + 1;
  std::string out;
  out.reserve(size);
  out += '[';
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto &answer = answers[i];
    if (i) out += ',';
    if (answer.status == OC_OK) {
      out += answer.result;
      continue;
    }
    // Each event's code is one oc_submit may return (the header lists them).
    auto failure = ordercare::boundary::within_contract(ordercare::boundary::kSubmitContract,
                                                        {answer.status, std::move(answer.message)});
    out += ordercare::dump_json(ordercare::Json{
        {"status", "error"}, {"code", oc_status_name(failure.status)}, {"message", std::move(failure.message)}});
  }
  out += ']';
  return out;
}

}  // namespace

extern "C" {

OC_API oc_status oc_open(const oc_options *options, const oc_host *host, oc_plugin **out) {
  return guarded(ordercare::boundary::kOpenContract, [&] {
    if (!out) fail(OC_ERR_ARGUMENT, "oc_open: out is NULL");
    *out = nullptr;
    oc_options opts{};
    if (options) opts = ordercare::boundary::copy_struct_from_user(options, kOptionsV1Size, "oc_options");
    if (opts.config_json == nullptr && opts.config_len != 0)
      fail(OC_ERR_ARGUMENT, "oc_open: config_json is NULL but config_len is not 0");
    if (opts.flags & ~static_cast<std::uint32_t>(OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD))
      fail(OC_ERR_ARGUMENT, "oc_open: unknown bits in flags");
    oc_host callbacks{};
    if (host) callbacks = ordercare::boundary::copy_struct_from_user(host, kHostV1Size, "oc_host");
    auto config = ordercare::runtime::parse_config(
        opts.config_json ? std::string_view(opts.config_json, opts.config_len) : std::string_view());
    auto plugin = std::make_unique<oc_plugin>();
    plugin->impl = ordercare::runtime::open_plugin(std::move(config), host ? &callbacks : nullptr, opts.flags);
    *out = plugin.release();
  });
}

OC_API oc_status oc_close(oc_plugin *p) {
  return guarded(ordercare::boundary::kCloseContract, [&] {
    if (!p) return;
    if (ordercare::runtime::inside_callback())
      fail(OC_ERR_THREAD, "oc_close: not allowed from inside a host callback");
    std::unique_ptr<oc_plugin> owned(p);
    if (owned->impl) owned->impl->close();
  });
}

OC_API oc_status oc_submit(oc_plugin *p, const char *event_json, std::size_t len, oc_buffer **result) {
  if (result) *result = nullptr;
  return guarded(ordercare::boundary::kSubmitContract, [&] {
    require_plugin(p);
    if (!event_json) fail(OC_ERR_ARGUMENT, "oc_submit: event_json is NULL");
    if (len == 0) fail(OC_ERR_ARGUMENT, "oc_submit: len is 0");
    auto answer = p->impl->submit(std::string_view(event_json, len));
    if (result) *result = new_buffer(answer);
  });
}

OC_API oc_status oc_submit_batch(oc_plugin *p, const char *const *events, const std::size_t *lens,
                                 std::size_t count, oc_buffer **result) {
  if (result) *result = nullptr;
  return guarded(ordercare::boundary::kSubmitBatchContract, [&] {
    require_plugin(p);
    if (!result) fail(OC_ERR_ARGUMENT, "oc_submit_batch: result is NULL");
    if (count > 0 && !events) fail(OC_ERR_ARGUMENT, "oc_submit_batch: events is NULL but count is not 0");
    if (count > 0 && !lens) fail(OC_ERR_ARGUMENT, "oc_submit_batch: lens is NULL but count is not 0");
    auto answers = p->impl->submit_batch(std::span<const char *const>(events, count),
                                         std::span<const std::size_t>(lens, count));
    *result = new_buffer(batch_result(answers));
  });
}

OC_API oc_status oc_call(oc_plugin *p, const char *method, const char *args_json, std::size_t len,
                         oc_buffer **result) {
  if (result) *result = nullptr;
  return guarded(ordercare::boundary::kCallContract, [&] {
    require_plugin(p);
    if (!method) fail(OC_ERR_ARGUMENT, "oc_call: method is NULL");
    check_method_name(method);
    if (!result) fail(OC_ERR_ARGUMENT, "oc_call: result is NULL");
    if (!args_json && len != 0) fail(OC_ERR_ARGUMENT, "oc_call: args_json is NULL but len is not 0");
    auto answer = p->impl->call(method, args_json ? std::string_view(args_json, len) : std::string_view());
    *result = new_buffer(answer);
  });
}

OC_API oc_status oc_poll(oc_plugin *p, std::uint32_t max_callbacks, std::uint32_t *ran) {
  if (ran) *ran = 0;
  return guarded(ordercare::boundary::kPollContract, [&] {
    require_plugin(p);
    if (ordercare::runtime::inside_callback())
      fail(OC_ERR_THREAD, "oc_poll: not allowed from inside a host callback");
    const std::uint32_t n = p->impl->poll(max_callbacks);
    if (ran) *ran = n;
  });
}

OC_API int32_t oc_wakeup_fd(const oc_plugin *p) {
  if (!p || !p->impl) return -1;
  return p->impl->wakeup_fd();
}

}  // extern "C"
