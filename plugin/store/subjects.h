// The names of what jobs claim and what PII keys seal: one spelling for
// every layer, so a claim, a case's subject and a key id always agree.
#pragma once

#include <string>

#include "domain/entities.h"

namespace ordercare::store {

inline std::string order_subject(const std::string &order_id) { return "order:" + order_id; }
inline std::string customer_subject(const std::string &customer_id) { return "customer:" + customer_id; }
inline std::string sku_subject(const std::string &sku, const std::string &location) {
  return "sku:" + sku + "@" + location;
}
inline std::string team_subject(const std::string &team) { return "team:" + team; }

// The subject a case is filed under (StateStore::cases_for_subject).
std::string case_subject(const domain::CaseRecord &c);

// The PII key of a customer, or of an order whose customer is unknown, or
// "system" for neither.
std::string pii_key_for(const std::optional<std::string> &customer_id,
                        const std::optional<std::string> &order_id);

}  // namespace ordercare::store
