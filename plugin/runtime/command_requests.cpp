#include "runtime/command_requests.h"

#include "common/crypto.h"
#include "common/failure.h"
#include "common/subject.h"

namespace ordercare::runtime {

namespace {

constexpr std::size_t kMaxRequestIdLength = 200;

// The arguments as a digest: nlohmann writes object keys in order, so the
// same arguments in any order hash alike.
std::string args_hash(const std::string &method, const Json &args) {
  return crypto::hex_encode(crypto::sha256(method + "\n" + dump_json(args)));
}

}  // namespace

std::optional<std::string> take_request_id(Json &args) {
  auto it = args.find("request_id");
  if (it == args.end()) return std::nullopt;
  if (!it->is_string() || it->get_ref<const std::string &>().empty() ||
      it->get_ref<const std::string &>().size() > kMaxRequestIdLength)
    fail(OC_ERR_SCHEMA, "args: request_id: expected a non-empty string of at most 200 characters");
  std::string id = *it;
  args.erase(it);
  return id;
}

Json run_once(CallContext &ctx, const std::string &method, const Json &args, const std::string &request_id,
              const CallHandler &handler) {
  // Two processes given one request at once: the second waits for the
  // first and then finds its answer.
  ctx.job.store.claim({Subject::request(request_id)});
  const std::string hash = args_hash(method, args);
  if (auto seen = ctx.job.store.state().find_request(request_id)) {
    if (seen->method != method || seen->args_hash != hash)
      fail(OC_ERR_REFUSED, "request_id '" + request_id + "' was used for another call (" + seen->method +
                               " with other arguments); give each command its own");
    if (!seen->result)
      fail(OC_ERR_REFUSED, "request_id '" + request_id +
                               "': the command was carried out, and its answer was erased with the customer's data");
    return *seen->result;
  }
  Json result = handler(ctx, args);
  ctx.job.store.state().put_request({request_id, method, hash, result, ctx.now}, ctx.pii_key);
  return result;
}

}  // namespace ordercare::runtime
