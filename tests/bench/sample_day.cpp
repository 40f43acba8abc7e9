#include "bench/sample_day.h"

#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include "common/json.h"

#ifndef OC_SAMPLE_DAY
#define OC_SAMPLE_DAY "host_shims/c/data/sample_day.jsonl"
#endif

namespace ordercare::bench {

namespace {

// Fields whose value names something the day creates. SKUs too: a stock
// count touches every active case of its SKU, and nothing closes the
// day's cases, so with shared SKUs each repetition would cost more than
// the one before it.
const std::set<std::string> kIdFields = {"order_id",    "customer_id", "message_id",      "dispute_id", "return_id",
                                         "shipment_id", "case_id",     "tracking_number", "sku",        "transfer_id"};

void make_unique(Json &value, const std::string &key, const std::string &parent, const std::string &suffix) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) make_unique(it.value(), it.key(), key, suffix);
    return;
  }
  if (value.is_array()) {
    for (auto &item : value) make_unique(item, key, parent, suffix);
    return;
  }
  if (!value.is_string()) return;
  std::string text = value.get<std::string>();
  if (kIdFields.count(key) || (key == "id" && (parent == "order" || parent == "customer")) ||
      (key == "number" && parent == "order")) {
    value = text + suffix;
  } else if (key == "email" && text.find('@') != std::string::npos) {
    value = text.insert(text.find('@'), "+" + suffix.substr(1));
  } else if (key == "refund_id") {
    // An effect key the plugin made, "refund:<return id>:<n>".
    const auto first = text.find(':'), last = text.rfind(':');
    value = first != std::string::npos && last > first ? text.insert(last, suffix) : text + suffix;
  }
}

}  // namespace

SampleDay::SampleDay(std::string path) : path_(path.empty() ? OC_SAMPLE_DAY : std::move(path)) {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the sample day " + path_);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines_.push_back(line);
  if (lines_.empty()) throw std::runtime_error("the sample day " + path_ + " has no events");
}

std::vector<std::string> SampleDay::repetition(int r) const {
  const std::string suffix = "-r" + std::to_string(r);
  std::vector<std::string> out;
  out.reserve(lines_.size());
  for (const auto &line : lines_) {
    Json event = Json::parse(line, nullptr, false);
    if (!event.is_object()) {
      out.push_back(line);
      continue;
    }
    if (auto id = event.find("id"); id != event.end() && id->is_string()) *id = id->get<std::string>() + suffix;
    if (auto data = event.find("data"); data != event.end()) make_unique(*data, "data", "", suffix);
    out.push_back(dump_json(event));
  }
  return out;
}

std::string SampleDay::config(const Json &store) const {
  Json config = Json::object();
  const auto slash = path_.rfind('/');
  std::ifstream shop((slash == std::string::npos ? std::string() : path_.substr(0, slash + 1)) + "sample_shop.json",
                     std::ios::binary);
  if (shop) {
    const std::string text((std::istreambuf_iterator<char>(shop)), std::istreambuf_iterator<char>());
    config = Json::parse(text);
  }
  config["store"] = store;
  return dump_json(config);
}

std::vector<std::string> SampleDay::days(int days) const {
  std::vector<std::string> out;
  for (int r = 0; r < days; ++r) {
    auto day = repetition(r);
    out.insert(out.end(), std::make_move_iterator(day.begin()), std::make_move_iterator(day.end()));
  }
  return out;
}

TimeMs SampleDay::clock() { return *parse_rfc3339("2026-11-21T00:00:00Z"); }

std::string event_type_of(const std::string &event) {
  const Json parsed = Json::parse(event, nullptr, false);
  if (parsed.is_object())
    if (auto type = parsed.find("type"); type != parsed.end() && type->is_string()) return type->get<std::string>();
  return "(not an event)";
}

}  // namespace ordercare::bench
