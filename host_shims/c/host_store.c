#include "host_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

void host_store_init(host_store *store)
{
    store->stock = NULL;
    store->stock_count = 0;
    store->stock_capacity = 0;
    key_index_init(&store->stock_index);
    store->orders = NULL;
    store->order_count = 0;
    store->order_capacity = 0;
    key_index_init(&store->order_index);
}

void host_store_free(host_store *store)
{
    size_t i;
    for (i = 0; i < store->stock_count; i++) {
        free(store->stock[i].sku);
        free(store->stock[i].location);
    }
    for (i = 0; i < store->order_count; i++) {
        free(store->orders[i].id);
        free(store->orders[i].json);
    }
    free(store->stock);
    free(store->orders);
    key_index_free(&store->stock_index);
    key_index_free(&store->order_index);
    host_store_init(store);
}

/* Returns items grown to hold count + 1 elements of `size` bytes (maybe
   moved), or NULL on out of memory with items untouched. */
static void *reserve_one(void *items, size_t count, size_t *capacity, size_t size)
{
    void *bigger;
    size_t new_capacity;
    if (count < *capacity) {
        return items;
    }
    new_capacity = *capacity == 0 ? 64 : *capacity * 2;
    bigger = realloc(items, new_capacity * size);
    if (bigger != NULL) {
        *capacity = new_capacity;
    }
    return bigger;
}

static char *copy_text(const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

static char *stock_key(const char *sku, const char *location)
{
    size_t sku_len = strlen(sku);
    size_t location_len = strlen(location);
    char *key = malloc(sku_len + location_len + 2);
    if (key != NULL) {
        memcpy(key, sku, sku_len);
        key[sku_len] = '\t';
        memcpy(key + sku_len + 1, location, location_len + 1);
    }
    return key;
}

/* Adds a row; 1 added, 0 a row for sku/location exists already, -1 nomem. */
static int add_stock(host_store *store, const char *sku, const char *location, int64_t on_hand)
{
    stock_row row;
    stock_row *rows = reserve_one(store->stock, store->stock_count, &store->stock_capacity,
                                  sizeof row);
    char *key;
    int added;
    if (rows == NULL) {
        return -1;
    }
    store->stock = rows;
    key = stock_key(sku, location);
    if (key == NULL) {
        return -1;
    }
    added = key_index_add(&store->stock_index, key, store->stock_count);
    free(key);
    if (added != 1) {
        return added;
    }
    row.sku = copy_text(sku, strlen(sku));
    row.location = copy_text(location, strlen(location));
    row.on_hand = on_hand;
    store->stock[store->stock_count++] = row;
    /* The index already points at the row, so a failed copy cannot be
       undone cleanly; report it and let the caller stop. */
    return row.sku != NULL && row.location != NULL ? 1 : -1;
}

/* Splits "sku\tlocation\ton_hand" in place. 0, or -1 if malformed. */
static int parse_stock_line(char *line, char **sku, char **location, int64_t *on_hand)
{
    char *end = NULL;
    char *count;
    long long parsed;
    *sku = line;
    *location = strchr(line, '\t');
    count = *location != NULL ? strchr(*location + 1, '\t') : NULL;
    if (count == NULL || *location == line) {
        return -1;
    }
    *(*location)++ = '\0';
    *count++ = '\0';
    errno = 0;
    parsed = strtoll(count, &end, 10);
    if (errno != 0 || end == count || *end != '\0' || **location == '\0') {
        return -1;
    }
    *on_hand = (int64_t)parsed;
    return 0;
}

static void chomp(char *line, ssize_t *len)
{
    while (*len > 0 && (line[*len - 1] == '\n' || line[*len - 1] == '\r')) {
        line[--*len] = '\0';
    }
}

static int load_stock_line(host_store *store, char *line, const char *path, size_t line_no,
                           char *error, size_t error_size)
{
    char *sku;
    char *location;
    int64_t on_hand;
    int added;
    if (parse_stock_line(line, &sku, &location, &on_hand) != 0) {
        snprintf(error, error_size, "%s:%zu: expected sku<TAB>location<TAB>on_hand", path,
                 line_no);
        return -1;
    }
    added = add_stock(store, sku, location, on_hand);
    if (added == 0) {
        snprintf(error, error_size, "%s:%zu: %s at %s is listed twice", path, line_no, sku,
                 location);
    } else if (added < 0) {
        snprintf(error, error_size, "%s: out of memory", path);
    }
    return added == 1 ? 0 : -1;
}

int host_store_load_stock(host_store *store, const char *path, char *error, size_t error_size)
{
    FILE *file = fopen(path, "r");
    char *line = NULL;
    size_t capacity = 0;
    size_t line_no = 0;
    ssize_t len;
    int rc = 0;
    if (file == NULL) {
        snprintf(error, error_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (len = getline(&line, &capacity, file)) >= 0) {
        line_no++;
        chomp(line, &len);
        if (len > 0 && line[0] != '#') {
            rc = load_stock_line(store, line, path, line_no, error, error_size);
        }
    }
    if (rc == 0 && ferror(file)) {
        snprintf(error, error_size, "%s: read error", path);
        rc = -1;
    }
    free(line);
    fclose(file);
    return rc;
}

static int add_order(host_store *store, const char *id, json_span order)
{
    host_order entry;
    host_order *orders = reserve_one(store->orders, store->order_count, &store->order_capacity,
                                     sizeof entry);
    int added;
    if (orders == NULL) {
        return -1;
    }
    store->orders = orders;
    added = key_index_add(&store->order_index, id, store->order_count);
    if (added != 1) {
        return added; /* A repeated order.created: the first one stands. */
    }
    entry.id = copy_text(id, strlen(id));
    entry.json = copy_text(order.ptr, order.len);
    entry.json_len = order.len;
    store->orders[store->order_count++] = entry;
    return entry.id != NULL && entry.json != NULL ? 1 : -1;
}

/* 0 if the line was learned or is not an order.created; -1 on nomem. */
static int learn_order_line(host_store *store, const char *line, size_t len)
{
    json_span event = json_span_of(line, len);
    json_span type;
    json_span order;
    char *id;
    int rc;
    if (!json_find(event, "type", &type) || type.len != 15 ||
        memcmp(type.ptr, "\"order.created\"", 15) != 0 ||
        !json_find(event, "data.order", &order) || !json_is_object(order)) {
        return 0;
    }
    id = json_find_string(order, "id");
    if (id == NULL) {
        return 0;
    }
    rc = add_order(store, id, order);
    free(id);
    return rc < 0 ? -1 : 0;
}

int host_store_learn_orders(host_store *store, const char *path, char *error,
                            size_t error_size)
{
    FILE *file = fopen(path, "r");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t len;
    int rc = 0;
    if (file == NULL) {
        snprintf(error, error_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (len = getline(&line, &capacity, file)) >= 0) {
        if (learn_order_line(store, line, (size_t)len) != 0) {
            snprintf(error, error_size, "%s: out of memory", path);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(file)) {
        snprintf(error, error_size, "%s: read error", path);
        rc = -1;
    }
    free(line);
    fclose(file);
    return rc;
}

const host_order *host_store_find_order(const host_store *store, const char *id)
{
    size_t at;
    return key_index_find(&store->order_index, id, &at) ? &store->orders[at] : NULL;
}

stock_row *host_store_find_stock(host_store *store, const char *sku, const char *location)
{
    size_t i;
    if (location != NULL) {
        char *key = stock_key(sku, location);
        size_t at;
        int found = key != NULL && key_index_find(&store->stock_index, key, &at);
        free(key);
        return found ? &store->stock[at] : NULL;
    }
    for (i = 0; i < store->stock_count; i++) {
        if (strcmp(store->stock[i].sku, sku) == 0) {
            return &store->stock[i];
        }
    }
    return NULL;
}

stock_row *host_store_open_location(host_store *store, const char *sku, const char *location)
{
    if (location == NULL || host_store_find_stock(store, sku, NULL) == NULL) {
        return NULL;
    }
    if (add_stock(store, sku, location, 0) < 0) {
        return NULL;
    }
    return host_store_find_stock(store, sku, location);
}
