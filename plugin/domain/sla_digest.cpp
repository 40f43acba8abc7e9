#include "domain/sla_digest.h"

#include <algorithm>
#include <map>

#include "common/crypto.h"
#include "common/subject.h"
#include "domain/case_state_machine.h"
#include "domain/effect_keys.h"
#include "domain/sla_clocks.h"
#include "domain/vocabulary.h"

namespace ordercare::domain {

namespace {

const CaseRecord *find(const std::vector<CaseRecord> &cases, const std::string &id) {
  for (const auto &c : cases)
    if (c.id == id) return &c;
  return nullptr;
}

bool still_news(const DigestItem &item, const CaseRecord &c) {
  if (!is_active(c.status)) return false;
  if (c.acted_at && *c.acted_at >= item.noted_at) return false;
  if (item.stage != "warning") return true;
  const CaseClock *clock = c.clock(item.clock);
  return clock && clock->running() && !clock->breached;
}

// "first response missed (due 2026-11-20T10:12:00Z), escalated to you"
std::string what_happened(const CaseRecord &c, const std::string &clock_name, const std::vector<std::string> &stages) {
  const auto has = [&](const char *stage) { return std::find(stages.begin(), stages.end(), stage) != stages.end(); };
  const CaseClock *clock = c.clock(clock_name);
  const std::string due = clock && clock->due ? " (due " + format_rfc3339(*clock->due) + ")" : "";
  std::string out = clock_label(clock_name);
  if (has("breach") || has("escalation"))
    out += " missed" + due;
  else
    out += " at risk" + due;
  if (has("escalation")) out += ", escalated to you";
  return out;
}

// Names the set of held notices a digest covers. Processes whose clocks
// differ a little may each send a digest for one recipient and slot, the
// second with the notices held after the first went out: a different
// notice, so a different key; the same set always gives the same key.
std::string held_items_digest(const std::vector<DigestItem> &items) {
  std::string all;
  for (const auto &item : items)
    all += item.case_id + '\n' + item.clock + '\n' + item.stage + '\n' + std::to_string(item.noted_at) + '\n';
  return crypto::hex_encode(crypto::sha256(all)).substr(0, 16);
}

}  // namespace

Decision decide_sla_digest(const std::string &recipient, const std::vector<DigestItem> &items,
                           const std::vector<CaseRecord> &cases, TimeMs now, const Policy &policy) {
  Decision decision;
  if (items.empty()) return decision;
  TimeMs through = 0;
  for (const auto &item : items) through = std::max(through, item.due_at);
  decision.digest_done = items;

  // Case by case in the order they first needed attention; per case, its
  // clocks and what happened to each.
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> stages;
  for (const auto &item : items) {
    const CaseRecord *c = find(cases, item.case_id);
    if (!c || !still_news(item, *c)) continue;
    if (!stages.count(c->id)) order.push_back(c->id);
    stages[c->id][item.clock].push_back(item.stage);
  }
  if (order.empty()) return decision;
  // The most urgent first; items come in the order they were noted.
  std::stable_sort(order.begin(), order.end(), [&](const std::string &x, const std::string &y) {
    return find(cases, x)->priority < find(cases, y)->priority;
  });

  std::int64_t missed = 0;
  std::string lines;
  Json listed = Json::array();
  for (const auto &id : order) {
    const CaseRecord &c = *find(cases, id);
    const std::string priority(to_string(c.priority));
    std::string line = "- " + c.id + " (" + std::string(label(c.type)) + ", " + priority + "): ";
    Json clocks = Json::array();
    bool case_missed = false;
    bool first = true;
    for (const auto &[clock, happened] : stages[id]) {
      line += (first ? "" : "; ") + what_happened(c, clock, happened);
      first = false;
      const bool clock_missed =
          std::any_of(happened.begin(), happened.end(), [](const std::string &stage) { return stage != "warning"; });
      case_missed = case_missed || clock_missed;
      clocks.push_back({{"clock", clock}, {"stages", happened}});
    }
    if (case_missed) ++missed;
    lines += (lines.empty() ? "" : "\n") + line;
    Json entry = {{"case_id", c.id}, {"priority", priority}, {"issue", std::string(label(c.type))},
                  {"clocks", std::move(clocks)}};
    if (c.order_id) entry["order_id"] = *c.order_id;
    listed.push_back(std::move(entry));
  }

  const TimeMs interval = std::max<TimeMs>(policy.sla.digest_interval, 1);
  Effect e;
  e.id = effect_key({"notify", "sla-digest", recipient, std::to_string(through), held_items_digest(items)});
  e.kind = "notify";
  e.ordering_key = Subject::digest(recipient).str();
  // Not in the payload (the notice is about many cases): the case that
  // hears of it when the host cannot deliver the digest, the most urgent.
  e.case_id = order.front();
  e.created_at = now;
  Json vars = {{"digest.team", recipient},
               {"digest.from", format_rfc3339(through - interval)},
               {"digest.to", format_rfc3339(through)},
               {"digest.count", static_cast<std::int64_t>(order.size())},
               {"digest.missed", missed},
               {"digest.at_risk", static_cast<std::int64_t>(order.size()) - missed},
               {"digest.lines", lines}};
  e.payload = {{"audience", "team"},
               {"team", recipient},
               {"template", "team_sla_digest"},
               {"language", policy.language},
               {"needs",
                {"Take over the cases that missed their promise", "Act on those at risk before they are due"}},
               {"cases", std::move(listed)},
               {"variables", std::move(vars)}};
  decision.effects.push_back(std::move(e));
  return decision;
}

}  // namespace ordercare::domain
