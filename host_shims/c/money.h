/*
 * money.h - amounts in integer minor units with an ISO 4217 code, read
 * from a refund request and summed per currency. Never floating point.
 */
#ifndef OC_HOST_MONEY_H
#define OC_HOST_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "json_scan.h"

typedef struct money {
    int64_t amount;    /* Minor units. */
    char currency[4];  /* "USD"; "" when the request named none. */
} money;

/* Reads the refund amount of a request. The request shape is still open, so
   both forms are accepted: {"amount": {"amount": 4999, "currency": "USD"}}
   and {"amount": 4999, "currency": "USD"}. 1 if an amount was found. */
int money_from_request(json_span request, money *out);

typedef struct money_totals {
    money *rows;  /* Sorted by currency code. */
    size_t count;
    size_t capacity;
} money_totals;

void money_totals_init(money_totals *totals);
void money_totals_free(money_totals *totals);
/* Adds m to its currency's row. 0, or -1 on out of memory. */
int money_totals_add(money_totals *totals, const money *m);

#endif
