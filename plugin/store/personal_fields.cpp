#include "store/personal_fields.h"

#include <array>
#include <map>
#include <string>
#include <vector>

#include "common/event_type.h"
#include "domain/json_text.h"

namespace ordercare::store {

namespace {

using Pattern = std::vector<std::string>;  // pointer segments, "*" for any array element

Pattern split(const std::string &pointer) {
  Pattern out;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t slash = pointer.find('/', start);
    out.push_back(pointer.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

std::vector<Pattern> patterns(std::initializer_list<const char *> pointers) {
  std::vector<Pattern> out;
  for (const char *p : pointers) out.push_back(split(p));
  return out;
}

// --- Events: what is not personal ----------------------------------------

// The envelope; `data` is looked into by type.
const std::vector<Pattern> kEnvelope = patterns({"/id", "/type", "/occurred_at", "/source", "/store", "/store_id"});

const std::map<EventType, std::vector<Pattern>> &event_fields() {
  static const std::map<EventType, std::vector<Pattern>> fields = {
      {EventType::order_created,
       patterns({"/data/order/id", "/data/order/number", "/data/order/name", "/data/order/locale",
                 "/data/order/placed_at", "/data/order/currency",
                 "/data/order/total", "/data/order/channel", "/data/order/promised_by", "/data/order/status",
                 "/data/order/customer/id", "/data/order/customer/tags", "/data/order/items/*/line_id",
                 "/data/order/items/*/sku", "/data/order/items/*/name", "/data/order/items/*/quantity",
                 "/data/order/items/*/unit_price", "/data/order/items/*/location", "/data/order/location"})},
      {EventType::order_updated,
       patterns({"/data/order_id", "/data/status", "/data/payment_voided", "/data/promised_by", "/data/total",
                 "/data/items/*/line_id",
                 "/data/items/*/sku", "/data/items/*/name", "/data/items/*/quantity",
                 "/data/items/*/unit_price", "/data/items/*/location"})},
      {EventType::shipment_updated,
       patterns({"/data/order_id", "/data/shipment_id", "/data/carrier", "/data/tracking_number", "/data/status",
                 "/data/eta"})},
      {EventType::customer_message,
       patterns({"/data/message_id", "/data/order_id", "/data/customer/id", "/data/customer/tags",
                 "/data/channel", "/data/public", "/data/audience", "/data/language"})},
      {EventType::cancellation_requested, patterns({"/data/order_id", "/data/channel"})},
      {EventType::order_change_requested, patterns({"/data/order_id", "/data/change"})},
      {EventType::return_requested,
       patterns({"/data/return_id", "/data/order_id", "/data/items/*/line_id", "/data/items/*/quantity",
                 "/data/items/*/reason", "/data/photos"})},
      {EventType::return_received,
       patterns({"/data/return_id", "/data/order_id", "/data/walk_in", "/data/items/*/line_id",
                 "/data/items/*/quantity", "/data/items/*/condition", "/data/items/*/reason", "/data/location"})},
      {EventType::refund_result,
       patterns({"/data/refund_id", "/data/status", "/data/amount", "/data/host_reference"})},
      {EventType::privacy_requested,
       patterns({"/data/kind", "/data/customer_id", "/data/order_ids", "/data/shop", "/data/request_id"})},
      {EventType::refund_recorded,
       patterns({"/data/order_id", "/data/refund_id", "/data/amount", "/data/currency"})},
      {EventType::order_action_result,
       patterns({"/data/action_id", "/data/status", "/data/host_reference", "/data/carrier",
                 "/data/tracking_number"})},
      {EventType::inventory_discrepancy,
       patterns({"/data/sku", "/data/location", "/data/system_count", "/data/physical_count", "/data/reported_by",
                 "/data/oversold"})},
      {EventType::payment_failed,
       patterns({"/data/order_id", "/data/amount", "/data/currency", "/data/dispute_id"})},
      {EventType::payment_disputed,
       patterns({"/data/order_id", "/data/amount", "/data/currency", "/data/dispute_id"})},
      {EventType::pickup_requested, patterns({"/data/order_id", "/data/store_id", "/data/customer_waiting"})},
      // The kind of ID shown, never its number; the staff member who released it.
      {EventType::pickup_updated,
       patterns({"/data/order_id", "/data/store_id", "/data/step", "/data/id_checked", "/data/released_by"})},
      {EventType::feedback_received, patterns({"/data/case_id", "/data/csat", "/data/nps"})},
      // The warehouse's answers (1.3): ids, SKUs, counts and dates; its
      // reasons and notes are free text, sealed.
      {EventType::warehouse_order_delayed,
       patterns({"/data/order_id", "/data/new_ship_date", "/data/offer", "/data/location"})},
      {EventType::warehouse_out_of_stock,
       patterns({"/data/order_id", "/data/sku", "/data/count", "/data/restock_date", "/data/substitutes/*/sku",
                 "/data/substitutes/*/name", "/data/location"})},
      {EventType::warehouse_damaged_at_pick,
       patterns({"/data/order_id", "/data/sku", "/data/quantity", "/data/replacement_in_stock", "/data/new_ship_date",
                 "/data/restock_date", "/data/substitutes/*/sku", "/data/substitutes/*/name", "/data/location"})},
      {EventType::warehouse_change_answer,
       patterns({"/data/order_id", "/data/can_change", "/data/change", "/data/by"})},
  };
  return fields;
}

// What an event keeps of its data, by its type: nothing for a type with no
// rule (or no type).
const std::vector<Pattern> &kept_data_of(const Json &event) {
  static const std::vector<Pattern> kNothing;
  if (const auto type = event_type_from(event.value("type", "")))
    if (auto it = event_fields().find(*type); it != event_fields().end()) return it->second;
  return kNothing;
}

// --- Documents: what is personal -------------------------------------------

const std::vector<Pattern> &document_fields(Document kind) {
  static const std::vector<Pattern> order = patterns({"/pii", "/refunds/*/reason", "/refunds/*/note", "/actions/*/reason",
                                                               "/actions/*/note", "/actions/*/result"});
  static const std::vector<Pattern> customer = patterns({"/pii"});
  static const std::vector<Pattern> case_record =
      patterns({"/pii", "/resolution", "/action_taken", "/follow_up", "/follow_ups"});
  static const std::vector<Pattern> log_entry =
      patterns({"/pii", "/details/reason", "/details/resolution", "/details/action_taken", "/details/follow_up",
                "/details/evidence", "/details/detail", "/details/items/*/decision"});
  static const std::vector<Pattern> escalation = patterns({"/reason", "/action_taken"});
  static const std::vector<Pattern> return_record =
      patterns({"/pii", "/rejection_reason", "/items/*/reported_condition", "/items/*/decision"});
  static const std::vector<Pattern> effect = patterns({"/payload/reason", "/result", "/last_error"});
  static const std::vector<Pattern> notice = patterns({"/payload", "/result", "/last_error"});
  switch (kind) {
    case Document::order: return order;
    case Document::customer: return customer;
    case Document::case_record: return case_record;
    case Document::log_entry: return log_entry;
    case Document::escalation: return escalation;
    case Document::return_record: return return_record;
    case Document::effect: return effect;
    case Document::notice: return notice;
  }
  return customer;
}


bool matches(std::string_view segment, const std::string &pattern) {
  return pattern == "*" || pattern == segment;
}

// How a path relates to a set of patterns: one names it (or a parent of
// it) whole, or one lies below it, or neither.
using domain::json_fields::Relation;

template <class Segment>
Relation relation(const std::vector<Segment> &path, const std::vector<Pattern> &set) {
  bool above = false;
  for (const auto &pattern : set) {
    std::size_t i = 0;
    while (i < path.size() && i < pattern.size() && matches(path[i], pattern[i])) ++i;
    if (i == pattern.size() && i <= path.size()) return Relation::named;  // the pattern covers the path
    if (i == path.size()) above = true;                                 // the pattern goes deeper
  }
  return above ? Relation::above : Relation::apart;
}

// Events: moves out every leaf or subtree under `node` that no pattern
// names, keeping what the patterns name.
void take_unnamed(Json &node, std::vector<std::string> &path, const std::string &pointer,
                  const std::vector<Pattern> &keep, Json &out) {
  auto visit = [&](const std::string &segment, Json &child, std::vector<std::string> &to_remove) {
    path.push_back(segment);
    // The child's pointer is spelled out only where it is used: most
    // fields are kept whole.
    switch (relation(path, keep)) {
      case Relation::named:
        break;
      case Relation::above:
        if (child.is_object() || child.is_array()) {
          take_unnamed(child, path, pointer + "/" + json_pointer_token(segment), keep, out);
        } else {
          out[pointer + "/" + json_pointer_token(segment)] = std::move(child);
          to_remove.push_back(segment);
        }
        break;
      case Relation::apart:
        out[pointer + "/" + json_pointer_token(segment)] = std::move(child);
        to_remove.push_back(segment);
        break;
    }
    path.pop_back();
  };
  std::vector<std::string> to_remove;
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) visit(it.key(), it.value(), to_remove);
    for (const auto &key : to_remove) node.erase(key);
  } else if (node.is_array()) {
    // Array elements stay in place (their positions are their names); what
    // is taken out of one is replaced by null.
    for (std::size_t i = 0; i < node.size(); ++i) visit(std::to_string(i), node[i], to_remove);
    for (const auto &index : to_remove) node[std::stoul(index)] = nullptr;
  }
}

// Documents: moves out every subtree a pattern names.
void take_named(Json &node, std::vector<std::string> &path, const std::string &pointer,
                const std::vector<Pattern> &take, Json &out) {
  auto visit = [&](const std::string &segment, Json &child) -> bool {
    path.push_back(segment);
    // The child's pointer is spelled out only where it is used: most
    // fields of a document are not personal.
    bool taken = false;
    switch (relation(path, take)) {
      case Relation::named:
        out[pointer + "/" + json_pointer_token(segment)] = std::move(child);
        taken = true;
        break;
      case Relation::above:
        if (child.is_object() || child.is_array()) take_named(child, path, pointer + "/" + json_pointer_token(segment), take, out);
        break;
      case Relation::apart:
        break;
    }
    path.pop_back();
    return taken;
  };
  if (node.is_object()) {
    std::vector<std::string> taken;
    for (auto it = node.begin(); it != node.end(); ++it)
      if (visit(it.key(), it.value())) taken.push_back(it.key());
    for (const auto &key : taken) node.erase(key);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      if (visit(std::to_string(i), node[i])) node[i] = nullptr;
  }
}

// A document's personal parts for a writer that does not build its tree
// (domain/json_text.h): the same table, asked member by member.
class DocumentPersonal final : public domain::json_fields::Personal {
 public:
  explicit DocumentPersonal(Document kind) : patterns_(document_fields(kind)) {
    for (const auto &pattern : patterns_) {
      if (pattern.empty() || pattern.front() == "*" || pattern.front().empty())
        opens_.fill(true);
      else
        opens_[static_cast<unsigned char>(pattern.front()[0])] = true;
    }
  }

  // Asked for each member of a document as it is written, most of which
  // no pattern reaches: a key that no pattern's first segment begins like
  // is apart without going through the patterns.
  Relation relation(const std::vector<std::string_view> &path) const override {
    if (!path.empty() && !path[0].empty() && !opens_[static_cast<unsigned char>(path[0][0])]) return Relation::apart;
    return store::relation(path, patterns_);
  }

 private:
  const std::vector<Pattern> &patterns_;
  std::array<bool, 256> opens_{};  // the first bytes of the patterns' first segments
};

// An event's rule for a writer that does not build its tree (split_for_log
// with domain/json_text.h): take_personal_event_fields' walk, asked member
// by member. Its patterns name what is kept, so what they name stays whole,
// what none reaches is taken, and what they pass through is looked into, or
// taken when it has no insides. data is always looked into, as that walk
// does: with no pattern for the type, all of it is taken and {} stays.
class EventPersonal final : public domain::json_fields::Personal {
 public:
  explicit EventPersonal(const std::vector<Pattern> &data_keep) : data_keep_(data_keep) {}

  Relation relation(const std::vector<std::string_view> &path) const override {
    if (path[0] != "data") return kept_whole_or_taken(store::relation(path, kEnvelope));
    if (path.size() == 1) return Relation::above;
    const Relation to_keep = store::relation(path, data_keep_);
    return to_keep == Relation::above ? Relation::above : kept_whole_or_taken(to_keep);
  }
  bool takes_leaves_above() const override { return true; }

 private:
  static Relation kept_whole_or_taken(Relation to_keep) {
    return to_keep == Relation::named ? Relation::apart : Relation::named;
  }

  const std::vector<Pattern> &data_keep_;
};

}  // namespace

const domain::json_fields::Personal &document_personal(Document kind) {
  // One for each kind, in the enum's order.
  static const auto all = [] {
    std::vector<DocumentPersonal> out;
    for (int k = 0; k <= static_cast<int>(Document::notice); ++k) out.emplace_back(static_cast<Document>(k));
    return out;
  }();
  return all[static_cast<std::size_t>(kind)];
}

Json take_personal_event_fields(Json &event) {
  Json out = Json::object();
  if (!event.is_object()) return out;
  const std::vector<Pattern> &data_keep = kept_data_of(event);
  std::vector<std::string> to_remove;
  for (auto it = event.begin(); it != event.end(); ++it) {
    if (it.key() == "data") continue;
    if (relation(std::vector<std::string>{it.key()}, kEnvelope) != Relation::named) {
      out["/" + json_pointer_token(it.key())] = std::move(it.value());
      to_remove.push_back(it.key());
    }
  }
  for (const auto &key : to_remove) event.erase(key);
  if (auto data = event.find("data"); data != event.end()) {
    if (data->is_object() || data->is_array()) {
      std::vector<std::string> path = {"data"};
      take_unnamed(*data, path, "/data", data_keep, out);
    } else {
      out["/data"] = std::move(*data);
      event.erase("data");
    }
  }
  return out;
}

EventForLog split_for_log(const Json &event) {
  EventForLog out;
  if (!event.is_object()) {
    out.body = dump_json(event);  // nothing in it is asked about
    return out;
  }
  // Both texts written straight from the event: copying it to take the
  // parts out of the copy, then freeing the copy, was most of splitting a
  // webhook's event (a Shopify order is some 250 values, nearly all of them
  // its platform fields).
  const EventPersonal personal(kept_data_of(event));
  thread_local domain::json_fields::TextWriter writer;
  writer.begin(&personal);
  out.body = writer.value_text(event);
  if (writer.valid()) {
    if (writer.took()) out.personal = writer.taken_text();
    return out;
  }
  // A value dump_json leaves to nlohmann (a string that is not UTF-8, which
  // it refuses; a binary value): the tree's way.
  out = EventForLog{};
  Json body = event;
  const Json personal_parts = take_personal_event_fields(body);
  if (!personal_parts.empty()) out.personal = dump_json(personal_parts);
  out.body = dump_json(body);
  return out;
}

Json take_personal_fields(Document kind, Json &doc) {
  Json out = Json::object();
  std::vector<std::string> path;
  take_named(doc, path, "", document_fields(kind), out);
  return out;
}

void restore_personal_fields(Json &doc, const Json &fields) {
  if (!fields.is_object()) return;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const Json::json_pointer pointer(it.key());
    // operator[] with a pointer makes the objects on the way; an array
    // element that was nulled is set back in place.
    doc[pointer] = it.value();
  }
}

}  // namespace ordercare::store
