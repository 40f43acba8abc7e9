#include "domain/case_state_machine.h"

#include <array>
#include <utility>

#include "common/failure.h"

namespace ordercare::domain {

namespace {

using S = CaseStatus;

constexpr std::array<std::pair<S, S>, 28> kTransitions{{
    {S::new_case, S::open},
    {S::new_case, S::waiting_customer},
    {S::new_case, S::waiting_warehouse},
    {S::new_case, S::escalated},
    {S::open, S::waiting_customer},
    {S::open, S::waiting_warehouse},
    {S::open, S::escalated},
    {S::open, S::resolved},
    {S::waiting_customer, S::open},
    {S::waiting_customer, S::waiting_warehouse},
    {S::waiting_customer, S::escalated},
    {S::waiting_customer, S::resolved},
    {S::waiting_warehouse, S::open},
    {S::waiting_warehouse, S::waiting_customer},
    {S::waiting_warehouse, S::escalated},
    {S::waiting_warehouse, S::resolved},
    {S::escalated, S::open},
    {S::escalated, S::waiting_customer},
    {S::escalated, S::waiting_warehouse},
    {S::escalated, S::resolved},
    {S::resolved, S::closed},
    {S::resolved, S::reopened},
    {S::closed, S::reopened},
    {S::reopened, S::open},
    {S::reopened, S::waiting_customer},
    {S::reopened, S::waiting_warehouse},
    {S::reopened, S::escalated},
    {S::reopened, S::resolved},
}};

}  // namespace

bool can_transition(CaseStatus from, CaseStatus to) {
  for (const auto &[a, b] : kTransitions)
    if (a == from && b == to) return true;
  return false;
}

void require_transition(const std::string &case_id, CaseStatus from, CaseStatus to,
                        const std::string &command) {
  if (can_transition(from, to)) return;
  std::string legal;
  for (const auto &[a, b] : kTransitions)
    if (a == from) legal += (legal.empty() ? "" : ", ") + std::string(to_string(b));
  fail(OC_ERR_TRANSITION, command + ": case " + case_id + " is " + std::string(to_string(from)) +
                              "; it cannot become " + std::string(to_string(to)) +
                              " (from " + std::string(to_string(from)) + " it can become: " +
                              (legal.empty() ? "nothing" : legal) + ")");
}

bool is_active(CaseStatus status) { return status != S::resolved && status != S::closed; }

}  // namespace ordercare::domain
