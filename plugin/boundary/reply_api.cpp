// oc_reply_set: a callback's way to hand JSON back without either side
// freeing the other's memory (the plugin copies the bytes).
#include "boundary/guard.h"
#include "boundary/handles.h"
#include "runtime/host_callbacks.h"
#include "common/json.h"

using ordercare::fail;

namespace {
constexpr std::size_t kMaxReplyBytes = 1 << 20;
}

extern "C" {

OC_API oc_status oc_reply_set(oc_reply *reply, const char *json, std::size_t len) {
  return ordercare::boundary::guarded(ordercare::boundary::kReplySetContract, [&] {
    if (!reply) fail(OC_ERR_ARGUMENT, "oc_reply_set: reply is NULL");
    if (!json && len != 0) fail(OC_ERR_ARGUMENT, "oc_reply_set: json is NULL but len is not 0");
    if (len > kMaxReplyBytes) fail(OC_ERR_TOO_LARGE, "oc_reply_set: reply exceeds 1 MiB");
    const auto value = ordercare::parse_json(std::string_view(json ? json : "", len), "reply");
    if (!value.is_object()) fail(OC_ERR_JSON, "reply: expected a JSON object");
    reply->json.assign(json, len);
  });
}

}  // extern "C"
