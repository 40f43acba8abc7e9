#include "store/subjects.h"

namespace ordercare::store {

std::string case_subject(const domain::CaseRecord &c) {
  if (c.order_id) return order_subject(*c.order_id);
  if (c.location && !c.skus.empty()) return sku_subject(c.skus.front(), *c.location);
  if (c.customer_id) return customer_subject(*c.customer_id);
  return "case:" + c.id;
}

std::string pii_key_for(const std::optional<std::string> &customer_id,
                        const std::optional<std::string> &order_id) {
  if (customer_id && !customer_id->empty()) return customer_subject(*customer_id);
  if (order_id) return order_subject(*order_id);
  return "system";
}

}  // namespace ordercare::store
