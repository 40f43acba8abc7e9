// The subjects (common/subject.h) a case is filed under and whose key seals
// a record's PII: one choice for every layer, so a claim, a case's subject
// and a key id always agree.
#pragma once

#include <optional>
#include <string>

#include "common/subject.h"
#include "domain/entities.h"

namespace ordercare::store {

// The subject a case is filed under (StateStore::cases_for_subject).
Subject case_subject(const domain::CaseRecord &c);

// The PII key of a customer, or of an order whose customer is unknown, or
// "system" for neither.
std::string pii_key_for(const std::optional<std::string> &customer_id,
                        const std::optional<std::string> &order_id);

}  // namespace ordercare::store
