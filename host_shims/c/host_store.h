/*
 * host_store.h - the little in-memory platform the reference host pretends
 * to be: its stock (sku, location, on hand) and its orders.
 *
 * Stock comes from a tab-separated file, one "sku\tlocation\ton_hand" row a
 * line ('#' starts a comment). Orders are the data.order objects of the
 * order.created lines of a JSONL file: the platform knows all of its orders
 * before any event about them reaches the plugin, which is what lets
 * lookup_order answer for an event that arrives before its order.created.
 */
#ifndef OC_HOST_HOST_STORE_H
#define OC_HOST_HOST_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "key_index.h"

typedef struct stock_row {
    char *sku;
    char *location;
    int64_t on_hand;
} stock_row;

typedef struct host_order {
    char *id;
    char *json; /* The order object as it appeared in order.created. */
    size_t json_len;
} host_order;

typedef struct host_store {
    stock_row *stock;
    size_t stock_count;
    size_t stock_capacity;
    key_index stock_index; /* "sku\tlocation" -> row. */
    host_order *orders;
    size_t order_count;
    size_t order_capacity;
    key_index order_index; /* order id -> order. */
} host_store;

void host_store_init(host_store *store);
void host_store_free(host_store *store);

/* Loads stock rows from a TSV file. 0, or -1 with a message. */
int host_store_load_stock(host_store *store, const char *path, char *error, size_t error_size);

/* Learns the orders of every order.created line of a JSONL file; other and
   malformed lines are skipped (the plugin judges them). 0, or -1 with a
   message. */
int host_store_learn_orders(host_store *store, const char *path, char *error,
                            size_t error_size);

/* The order with this id, or NULL. */
const host_order *host_store_find_order(const host_store *store, const char *id);

/* The stock row of sku at location, or with location NULL the sku's first
   row. NULL if the host does not stock it there. */
stock_row *host_store_find_stock(host_store *store, const char *sku, const char *location);

/* The row of a SKU the host stocks at a location it has no row for yet (a
   returns area), created empty; NULL if the SKU is unknown everywhere or
   memory ran out. */
stock_row *host_store_open_location(host_store *store, const char *sku, const char *location);

#endif
