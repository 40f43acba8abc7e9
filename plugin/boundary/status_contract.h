// The statuses each entry point may return: the lists abi/ordercare.h
// gives integrators, held by construction. guarded() turns any other
// status into OC_ERR_INTERNAL that names it (a bug, reported as one rather
// than as a code the host was never told to expect), and
// status_contract_test compares these lists with the header's.
#pragma once

#include <span>
#include <string_view>

#include "ordercare.h"

namespace ordercare::boundary {

struct StatusContract {
  std::string_view entry_point;
  std::span<const oc_status> statuses;

  constexpr bool allows(oc_status status) const {
    for (oc_status allowed : statuses)
      if (allowed == status) return true;
    return false;
  }
};

inline constexpr oc_status kOpenStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_STRUCT_SIZE, OC_ERR_CONFIG, OC_ERR_UTF8, OC_ERR_STORE, OC_ERR_BUSY,
    OC_ERR_VERSION, OC_ERR_NOMEM, OC_ERR_INTERNAL};
inline constexpr StatusContract kOpenContract{"oc_open", kOpenStatuses};

inline constexpr oc_status kCloseStatuses[] = {
    OC_OK, OC_ERR_THREAD, OC_ERR_STORE, OC_ERR_NOMEM, OC_ERR_INTERNAL};
inline constexpr StatusContract kCloseContract{"oc_close", kCloseStatuses};

// One event's answer, alone (oc_submit) or in a batch (each element of
// oc_submit_batch's result).
inline constexpr oc_status kSubmitStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_UTF8, OC_ERR_JSON, OC_ERR_TOO_LARGE, OC_ERR_UNKNOWN_TYPE, OC_ERR_SCHEMA,
    OC_ERR_NOT_FOUND, OC_ERR_TRANSITION, OC_ERR_REFUSED, OC_ERR_STORE, OC_ERR_BUSY, OC_ERR_CLOSED, OC_ERR_NOMEM,
    OC_ERR_INTERNAL};
inline constexpr StatusContract kSubmitContract{"oc_submit", kSubmitStatuses};

// The whole batch call's own status.
inline constexpr oc_status kSubmitBatchStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_TOO_LARGE, OC_ERR_STORE, OC_ERR_BUSY, OC_ERR_CLOSED, OC_ERR_NOMEM,
    OC_ERR_INTERNAL};
inline constexpr StatusContract kSubmitBatchContract{"oc_submit_batch", kSubmitBatchStatuses};

inline constexpr oc_status kCallStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_UNKNOWN_METHOD, OC_ERR_UTF8, OC_ERR_JSON, OC_ERR_TOO_LARGE, OC_ERR_SCHEMA,
    OC_ERR_NOT_FOUND, OC_ERR_TRANSITION, OC_ERR_REFUSED, OC_ERR_STORE, OC_ERR_BUSY, OC_ERR_CLOSED, OC_ERR_NOMEM,
    OC_ERR_INTERNAL};
inline constexpr StatusContract kCallContract{"oc_call", kCallStatuses};

inline constexpr oc_status kPollStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_THREAD, OC_ERR_STORE, OC_ERR_BUSY, OC_ERR_CLOSED, OC_ERR_NOMEM,
    OC_ERR_INTERNAL};
inline constexpr StatusContract kPollContract{"oc_poll", kPollStatuses};

inline constexpr oc_status kReplySetStatuses[] = {
    OC_OK, OC_ERR_ARGUMENT, OC_ERR_UTF8, OC_ERR_JSON, OC_ERR_TOO_LARGE, OC_ERR_NOMEM, OC_ERR_INTERNAL};
inline constexpr StatusContract kReplySetContract{"oc_reply_set", kReplySetStatuses};

inline constexpr const StatusContract *kStatusContracts[] = {
    &kOpenContract, &kCloseContract, &kSubmitContract, &kSubmitBatchContract,
    &kCallContract, &kPollContract, &kReplySetContract};

}  // namespace ordercare::boundary
