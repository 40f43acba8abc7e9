#include "store/subjects.h"

namespace ordercare::store {

Subject case_subject(const domain::CaseRecord &c) {
  if (c.order_id) return Subject::order(*c.order_id);
  if (c.location && !c.skus.empty()) return Subject::sku_at(c.skus.front(), *c.location);
  if (c.customer_id) return Subject::customer(*c.customer_id);
  return Subject::case_record(c.id);
}

std::string pii_key_for(const std::optional<std::string> &customer_id,
                        const std::optional<std::string> &order_id) {
  if (customer_id && !customer_id->empty()) return Subject::customer(*customer_id).str();
  if (order_id) return Subject::order(*order_id).str();
  return "system";
}

}  // namespace ordercare::store
