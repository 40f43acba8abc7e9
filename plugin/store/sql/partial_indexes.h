// The conditions of the partial indexes the event path writes, as the
// queries that read those indexes must repeat them: SQLite (and
// PostgreSQL) use a partial index only for a query whose WHERE clause
// contains its condition, and SQLite matches it by the expression's shape.
// They are ORs of equalities, not IN lists (migration 13): SQLite
// evaluates an IN list of more than two values by building a temporary
// b-tree of them for every row it writes.
#pragma once

// case_log_for_reports: the log kinds reports read by time.
#define OC_REPORTED_LOG_KIND(kind) "(" kind " = 'qa' OR " kind " = 'red_flag' OR " kind " = 'sla_breach')"

// case_skus_complaints: the case types that count as a complaint about a SKU.
#define OC_COMPLAINT_TYPE(type)                                                                      \
  "(" type " = 'wrong_item' OR " type " = 'damaged_item' OR " type " = 'missing_item' OR " type \
  " = 'complaint' OR " type " = 'shipping_delay' OR " type " = 'out_of_stock')"

// order_skus_open: the order statuses of an order still in the warehouse.
#define OC_OPEN_ORDER_STATUS(status) \
  "(" status " = 'pending' OR " status " = 'processing' OR " status " = 'picked' OR " status " = 'packed')"
