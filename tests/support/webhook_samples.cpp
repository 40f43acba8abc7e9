#include "support/webhook_samples.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ingest/event_validator.h"
#include "support/temp_dir.h"

namespace ordercare::testing {

std::string read_webhook_sample(const std::string &platform, const std::string &name) {
  const std::string path = source_dir() + "/tests/data/webhooks/" + platform + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Json webhook_sample_json(const std::string &platform, const std::string &name) {
  return parse_json(read_webhook_sample(platform, name), "sample");
}

ingest::MappedEvents validated(ingest::MappedEvents mapped) {
  for (const Json &event : mapped.events) EXPECT_NO_THROW(ingest::validate_event(event)) << event.dump();
  return mapped;
}

}  // namespace ordercare::testing
