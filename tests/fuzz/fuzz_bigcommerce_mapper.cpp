// BigCommerce payload mapper. Input: one byte (odd: a webhook-id header is
// present), then the body.
#include "fuzz_support.h"
#include "ingest/bigcommerce_mapper.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace ordercare;
  if (size == 0) return 0;
  const auto payload = fuzz::parse_body(fuzz::as_text(data + 1, size - 1));
  if (!payload) return 0;
  ingest::Headers headers;
  if (data[0] & 1) headers.add("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  fuzz::check_mapper([&] { return ingest::map_bigcommerce(headers, *payload); });
  return 0;
}
