// The host's callback table, and the one place that calls into it. Each
// call is marked as a callback section (so oc_poll/oc_close from inside one
// are refused) and its answer checked: a value outside oc_outcome counts as
// "retry later" with a message, never as success.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ordercare.h"

// What a host callback attached to its answer with oc_reply_set().
struct oc_reply {
  std::string json;
};

namespace ordercare::runtime {

struct HostAnswer {
  oc_outcome outcome = OC_OUTCOME_RETRY_LATER;
  Json detail = Json::object();  // what the host attached, parsed
  std::string problem;           // set when the answer itself was unusable
};

class HostCallbacks {
 public:
  HostCallbacks() = default;
  explicit HostCallbacks(const oc_host &host) : host_(host) {}

  // Effect kinds this host can carry out: notify, refund, adjust_inventory,
  // lookup_order, order_action.
  std::vector<std::string> kinds() const;
  bool has(const std::string &kind) const { return callback_for(kind) != nullptr; }
  bool empty() const { return kinds().empty(); }

  HostAnswer invoke(const std::string &kind, const std::string &key, std::int64_t attempt,
                    const std::string &json) const;
  void log(oc_log_level level, const std::string &message) const;
  bool has_log() const { return host_.log != nullptr; }

 private:
  using Callback = int32_t (*)(void *, const oc_request *, oc_reply *);
  Callback callback_for(const std::string &kind) const;

  oc_host host_{};
};

}  // namespace ordercare::runtime
