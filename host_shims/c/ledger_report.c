#include "ledger_report.h"

#include <stdlib.h>
#include <string.h>

#include "json_scan.h"
#include "money.h"

/* ISO 4217 minor-unit exponents that are not 2; enough for a readable
   amount ("JPY 1200", "KWD 12.500"). The plugin sends minor units. */
static int currency_exponent(const char *code)
{
    static const char *const zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                       "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
    static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    size_t i;
    for (i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        if (strcmp(code, zero[i]) == 0) {
            return 0;
        }
    }
    for (i = 0; i < sizeof three / sizeof three[0]; i++) {
        if (strcmp(code, three[i]) == 0) {
            return 3;
        }
    }
    return 2;
}

static void print_money(FILE *out, const money *m)
{
    int exponent = currency_exponent(m->currency);
    int64_t scale = exponent == 0 ? 1 : exponent == 3 ? 1000 : 100;
    int64_t whole = m->amount / scale;
    int64_t part = m->amount % scale;
    const char *sign = m->amount < 0 ? "-" : "";
    if (whole < 0) {
        whole = -whole;
    }
    if (part < 0) {
        part = -part;
    }
    if (exponent == 0) {
        fprintf(out, "%s %s%lld", m->currency, sign, (long long)whole);
    } else {
        fprintf(out, "%s %s%lld.%0*lld", m->currency, sign, (long long)whole, exponent,
                (long long)part);
    }
}

/* A string member, or "-" when the request has none. */
static void print_text(FILE *out, json_span doc, const char *path, int width)
{
    char *value = json_find_string(doc, path);
    fprintf(out, "%-*s", width, value != NULL ? value : "-");
    free(value);
}

static void print_refund(FILE *out, const char *key, json_span request)
{
    money amount;
    fprintf(out, "  %-28s ", key);
    print_text(out, request, "order_id", 12);
    fputc(' ', out);
    print_text(out, request, "method", 12);
    fputc(' ', out);
    if (money_from_request(request, &amount)) {
        print_money(out, &amount);
    } else {
        fputs("(no amount)", out);
    }
    fputc('\n', out);
}

static void print_adjustment(FILE *out, const char *key, json_span request)
{
    int64_t delta = 0;
    fprintf(out, "  %-40s ", key);
    print_text(out, request, "sku", 16);
    fputc(' ', out);
    print_text(out, request, "location", 14);
    if (json_find_int64(request, "delta", &delta)) {
        fprintf(out, " %+lld ", (long long)delta);
    } else {
        fputs(" ? ", out);
    }
    print_text(out, request, "reason", 0);
    fputc('\n', out);
}

static void print_action(FILE *out, const char *key, json_span request)
{
    fprintf(out, "  %-28s ", key);
    print_text(out, request, "action", 13);
    fputc(' ', out);
    print_text(out, request, "order_id", 12);
    fputc(' ', out);
    print_text(out, request, "case_id", 0);
    fputc('\n', out);
}

/* Prints the lines of one kind; the file is read once per kind. */
static int print_kind(FILE *file, FILE *out, const char *kind)
{
    char *line = NULL;
    size_t capacity = 0;
    ssize_t got;
    size_t kind_len = strlen(kind);
    size_t shown = 0;
    rewind(file);
    while ((got = getline(&line, &capacity, file)) > 0) {
        char *key;
        char *json;
        if (line[got - 1] != '\n') {
            break; /* a torn last line was never answered DONE */
        }
        line[got - 1] = '\0';
        if (strncmp(line, kind, kind_len) != 0 || line[kind_len] != '\t') {
            continue;
        }
        key = line + kind_len + 1;
        json = strchr(key, '\t');
        if (json == NULL) {
            continue;
        }
        *json++ = '\0';
        if (strcmp(kind, LEDGER_REFUND) == 0) {
            print_refund(out, key, json_span_of(json, strlen(json)));
        } else if (strcmp(kind, LEDGER_ORDER_ACTION) == 0) {
            print_action(out, key, json_span_of(json, strlen(json)));
        } else {
            print_adjustment(out, key, json_span_of(json, strlen(json)));
        }
        shown++;
    }
    free(line);
    if (shown == 0) {
        fputs("  none\n", out);
    }
    return ferror(file) ? -1 : 0;
}

int ledger_print_entries(const ledger *l, FILE *out)
{
    FILE *file;
    int rc;
    if (l->path == NULL) {
        return 0;
    }
    file = fopen(l->path, "r");
    if (file == NULL) {
        return -1;
    }
    fprintf(out, "Refunds carried out (idempotency key, order, method, amount):\n");
    rc = print_kind(file, out, LEDGER_REFUND);
    fprintf(out, "Inventory adjustments (idempotency key, SKU, location, delta, reason):\n");
    if (rc == 0) {
        rc = print_kind(file, out, LEDGER_ADJUST_INVENTORY);
    }
    fprintf(out, "Order actions (idempotency key, action, order, case):\n");
    if (rc == 0) {
        rc = print_kind(file, out, LEDGER_ORDER_ACTION);
    }
    fclose(file);
    return rc;
}
