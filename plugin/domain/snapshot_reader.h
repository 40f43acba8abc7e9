// What a snapshot is read from. The store implements it for the runtime
// (store::StateStore); the domain harness in the tests implements it in
// memory. Only reads: a decision's writes go back through its Decision.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/subject.h"
#include "domain/entities.h"
#include "domain/return_record.h"
#include "domain/transfer_record.h"

namespace ordercare::domain {

class SnapshotReader {
 public:
  virtual ~SnapshotReader() = default;

  virtual std::optional<Order> find_order(const std::string &id) = 0;
  // Orders not yet shipped that hold the SKU.
  virtual std::vector<Order> open_orders_with_sku(const std::string &sku) = 0;
  virtual std::optional<Customer> find_customer(const std::string &id) = 0;
  virtual std::optional<CaseRecord> find_case(const std::string &id) = 0;
  // Cases about one subject: an order's, a customer's (no order), a SKU's
  // at a location, or a transfer's.
  virtual std::vector<CaseRecord> cases_for_subject(const Subject &subject) = 0;
  // The same, only those still being worked on (not resolved or closed).
  virtual std::vector<CaseRecord> active_cases_for_subject(const Subject &subject) = 0;
  // Complaint cases per SKU opened since `since`, other orders only,
  // counted up to `at_most`: a threshold needs to know it was reached, not
  // by how much, and a hot SKU's window may hold thousands.
  virtual std::map<std::string, std::int64_t> recent_complaints(const std::vector<std::string> &skus, TimeMs since,
                                                                const std::optional<std::string> &except_order,
                                                                std::int64_t at_most) = 0;
  virtual std::optional<ReturnRecord> find_return(const std::string &id) = 0;
  virtual std::vector<ReturnRecord> returns_for_order(const std::string &order_id) = 0;
  virtual std::optional<Transfer> find_transfer(const std::string &id) = 0;
};

}  // namespace ordercare::domain
