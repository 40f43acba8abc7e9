// Json::parse against parse_json_fast on the documents the plugin reads:
// the sample day's events and a Shopify orders/create body, or the files
// given instead (a .json file is one document; any other file holds one a
// line, the document after the line's last tab, as in a TSV of bodies).
//   json_parse_bench [--rounds N] [FILE...]
// Prints ns per byte and the ratio; wall time on a shared machine is noisy,
// so for instruction counts run it under callgrind with
//   --toggle-collect='*parse_with_nlohmann*' (or '*parse_with_fast*').
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/json_parser.h"
#include "common/utf8.h"

namespace {

using ordercare::Json;

struct Documents {
  std::string name;
  std::vector<std::string> texts;
  std::size_t bytes = 0;
};

// The documents parse_json would hand on: no NUL, valid UTF-8, and JSON.
void add(Documents &set, std::string text) {
  if (text.empty() || text.find('\0') != std::string::npos || ordercare::find_invalid_utf8(text)) return;
  if (!Json::accept(text)) return;
  set.bytes += text.size();
  set.texts.push_back(std::move(text));
}

Documents lines_of(const std::string &path) {
  Documents set{path, {}, 0};
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.rfind('\t');
    add(set, tab == std::string::npos ? line : line.substr(tab + 1));
  }
  return set;
}

Documents whole_file(const std::string &name, const std::string &path) {
  Documents set{name, {}, 0};
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  add(set, text.str());
  return set;
}

// Kept out of line and named, for callgrind's --toggle-collect. Each value
// is destroyed inside, as the plugin's are.
[[gnu::noinline]] std::size_t parse_with_nlohmann(const Documents &set) {
  std::size_t nodes = 0;
  for (const std::string &text : set.texts) nodes += Json::parse(text.begin(), text.end()).size();
  return nodes;
}

[[gnu::noinline]] std::size_t parse_with_fast(const Documents &set) {
  std::size_t nodes = 0;
  for (const std::string &text : set.texts) nodes += ordercare::parse_json_fast(text)->size();
  return nodes;
}

template <typename Parse>
double ns_per_byte(const Documents &set, std::size_t rounds, Parse parse) {
  std::size_t sink = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rounds; ++i) sink += parse(set);
  const std::chrono::duration<double, std::nano> spent = std::chrono::steady_clock::now() - start;
  if (sink == 0) std::printf("(no nodes)\n");
  return spent.count() / static_cast<double>(set.bytes * rounds);
}

}  // namespace

int main(int argc, char **argv) {
  // Each set is parsed about this many bytes' worth by each parser, unless
  // --rounds says how many times (1 under callgrind).
  constexpr std::size_t kBytesPerSet = 50'000'000;
  std::size_t rounds = 0;
  std::vector<Documents> sets;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--rounds" && i + 1 < argc)
      rounds = static_cast<std::size_t>(std::atol(argv[++i]));
    else if (argument.ends_with(".json"))
      sets.push_back(whole_file(argument, argument));
    else
      sets.push_back(lines_of(argument));
  }
  if (sets.empty()) {
    sets.push_back(lines_of(OC_SOURCE_DIR "/host_shims/c/data/sample_day.jsonl"));
    sets.push_back(
        whole_file("shopify orders/create", OC_SOURCE_DIR "/tests/data/webhooks/shopify/orders_create.json"));
  }
  std::printf("%-50s %8s %10s %14s %10s %7s\n", "documents", "count", "bytes", "nlohmann ns/B", "fast ns/B",
              "ratio");
  for (const Documents &set : sets) {
    if (set.texts.empty()) continue;
    const std::size_t times = rounds != 0 ? rounds : std::max<std::size_t>(1, kBytesPerSet / set.bytes);
    const double nlohmann = ns_per_byte(set, times, parse_with_nlohmann);
    const double fast = ns_per_byte(set, times, parse_with_fast);
    std::printf("%-50s %8zu %10zu %14.2f %10.2f %6.2fx\n", set.name.c_str(), set.texts.size(), set.bytes, nlohmann,
                fast, nlohmann / fast);
  }
  return 0;
}
