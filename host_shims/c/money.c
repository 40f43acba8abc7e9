#include "money.h"

#include <stdlib.h>
#include <string.h>

static void read_currency(json_span doc, char currency[4])
{
    char *code = json_find_string(doc, "currency");
    currency[0] = '\0';
    if (code != NULL && strlen(code) == 3) {
        memcpy(currency, code, 4);
    }
    free(code);
}

int money_from_request(json_span request, money *out)
{
    json_span amount;
    if (!json_find(request, "amount", &amount)) {
        return 0;
    }
    if (json_is_object(amount)) {
        if (!json_find_int64(amount, "amount", &out->amount)) {
            return 0;
        }
        read_currency(amount, out->currency);
        return 1;
    }
    if (!json_int64(amount, &out->amount)) {
        return 0;
    }
    read_currency(request, out->currency);
    return 1;
}

void money_totals_init(money_totals *totals)
{
    totals->rows = NULL;
    totals->count = 0;
    totals->capacity = 0;
}

void money_totals_free(money_totals *totals)
{
    free(totals->rows);
    money_totals_init(totals);
}

int money_totals_add(money_totals *totals, const money *m)
{
    size_t i = 0;
    while (i < totals->count && strcmp(totals->rows[i].currency, m->currency) < 0) {
        i++;
    }
    if (i < totals->count && strcmp(totals->rows[i].currency, m->currency) == 0) {
        totals->rows[i].amount += m->amount;
        return 0;
    }
    if (totals->count == totals->capacity) {
        size_t capacity = totals->capacity == 0 ? 4 : totals->capacity * 2;
        money *rows = realloc(totals->rows, capacity * sizeof *rows);
        if (rows == NULL) {
            return -1;
        }
        totals->rows = rows;
        totals->capacity = capacity;
    }
    memmove(totals->rows + i + 1, totals->rows + i, (totals->count - i) * sizeof *totals->rows);
    totals->rows[i] = *m;
    totals->count++;
    return 0;
}
