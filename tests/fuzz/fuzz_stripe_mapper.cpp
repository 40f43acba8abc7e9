// Stripe event mapper. Input: the body.
#include "fuzz_support.h"
#include "ingest/stripe_mapper.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace ordercare;
  const auto payload = fuzz::parse_body(fuzz::as_text(data, size));
  if (!payload) return 0;
  fuzz::check_mapper([&] { return ingest::map_stripe(ingest::Headers{}, *payload); });
  return 0;
}
