// The SQL of the event path's reads about one SKU, which every event about
// a hot SKU runs. Each walks an index of what it answers (migration 10),
// so its cost follows the answer and not the SKU's history: 100k cases on
// one SKU took ingest from ~560 to ~75 events/s while these read them all.
// Here, and not inside the store, so tests can read their plans.
#pragma once

#include "store/sql/partial_indexes.h"

namespace ordercare::store::sql {

// Complaint cases of SKU ?1 opened since ?2, not of order ?3 (NULL: any),
// counted up to ?4: case_skus_complaints from the window's start, and the
// count stops at the limit.
inline constexpr const char *kRecentComplaintsSql =
    "SELECT count(*) FROM (SELECT 1 FROM case_skus s JOIN cases c ON c.id = s.case_id WHERE s.sku = ?1 "
    "AND " OC_COMPLAINT_TYPE("s.type") " "
    "AND s.opened_at >= ?2 AND (CAST(?3 AS TEXT) IS NULL OR c.order_id IS NULL OR c.order_id <> ?3) "
    "LIMIT ?4) AS recent";

// The documents (and ids) of the open orders holding SKU ?1, by id: order_skus_open,
// which holds no order that has left the warehouse, and a sort of those.
// (Ordered by s.order_id, SQLite would rather walk the primary key, every
// order of the SKU, than sort.)
inline constexpr const char *kOpenOrdersWithSkuSql =
    "SELECT o.body, o.id FROM order_skus s JOIN orders o ON o.id = s.order_id WHERE s.sku = ?1 "
    "AND " OC_OPEN_ORDER_STATUS("s.status") " ORDER BY o.id";

// The documents (and ids) of subject ?1's active cases, oldest first:
// cases_active_by_subject, which holds no resolved or closed case.
inline constexpr const char *kActiveCasesOfSubjectSql =
    "SELECT body, id FROM cases WHERE subject = ?1 AND active = 1 ORDER BY opened_at, id";

}  // namespace ordercare::store::sql
