#include "domain/decision.h"

namespace ordercare::domain {

std::vector<std::string> Decision::case_ids() const {
  std::vector<std::string> out;
  for (const auto &c : cases) out.push_back(c.id);
  return out;
}

std::vector<std::string> Decision::effect_ids() const {
  std::vector<std::string> out;
  for (const auto &e : effects) out.push_back(e.id);
  return out;
}

}  // namespace ordercare::domain
