#include "callbacks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_quote.h"
#include "json_scan.h"
#include "money.h"

void host_context_init(host_context *ctx, const oc_api *api, host_store *store, ledger *record,
                       faults *injector, virtual_clock *clock, int quiet)
{
    ctx->api = api;
    ctx->store = store;
    ctx->ledger = record;
    ctx->faults = injector;
    ctx->clock = clock;
    key_index_init(&ctx->notified);
    memset(&ctx->counts, 0, sizeof ctx->counts);
    sent_tally_init(&ctx->customer_messages);
    sent_tally_init(&ctx->order_actions);
    ctx->quiet = quiet;
}

void host_context_free(host_context *ctx)
{
    key_index_free(&ctx->notified);
    sent_tally_free(&ctx->customer_messages);
    sent_tally_free(&ctx->order_actions);
}

/* Starts a "[host] <kind> key=<key> attempt=<n>" line; NULL when quiet. */
static FILE *begin_line(const host_context *ctx, const char *kind, const oc_request *request)
{
    if (ctx->quiet) {
        return NULL;
    }
    printf("[host] %s key=%s attempt=%lu", kind, request->idempotency_key,
           (unsigned long)request->attempt);
    return stdout;
}

/* Prints the request JSON on the current line, JSON whitespace flattened so
   one callback stays one line. */
static void print_json(FILE *out, const oc_request *request)
{
    size_t i;
    if (out == NULL) {
        return;
    }
    fputc(' ', out);
    for (i = 0; i < request->json_len; i++) {
        char c = request->json[i];
        fputc(c == '\n' || c == '\r' || c == '\t' ? ' ' : c, out);
    }
}

static void end_line(FILE *out)
{
    if (out != NULL) {
        fputc('\n', out);
    }
}

/* Attaches {"reason": reason} and answers REJECTED. */
static int32_t reject(host_context *ctx, oc_reply *reply, const char *reason)
{
    char *quoted = json_quote(reason);
    char *body = quoted != NULL ? malloc(strlen(quoted) + 16) : NULL;
    if (body != NULL) {
        int len = sprintf(body, "{\"reason\":%s}", quoted);
        oc_status status = ctx->api->reply_set(reply, body, (size_t)len);
        if (status != OC_OK) {
            fprintf(stderr, "[host] oc_reply_set: %s: %s\n", ctx->api->status_name(status),
                    ctx->api->last_error());
        }
    }
    free(body);
    free(quoted);
    return OC_OUTCOME_REJECTED;
}

static void sleep_ms(long ms)
{
    struct timespec wait;
    wait.tv_sec = ms / 1000;
    wait.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
    }
}

/* The request must carry the version-1 fields; the plugin guarantees it,
   and the host checks because it reads them. */
static int request_is_usable(const oc_request *request)
{
    return request != NULL && request->struct_size >= sizeof(oc_request) &&
           request->idempotency_key != NULL && request->json != NULL;
}

/* Handles what comes before carrying out an effect: an unusable request, a
   key already done, an injected fault. Returns 1 with *outcome set when the
   callback is answered, 0 when the effect should be carried out. */
static int screen(host_context *ctx, const char *kind, const oc_request *request,
                  oc_reply *reply, int32_t *outcome)
{
    fault_kind fault;
    if (!request_is_usable(request)) {
        fprintf(stderr, "[host] %s: request without its version-1 fields\n", kind);
        *outcome = reject(ctx, reply, "request without its version-1 fields");
        return 1;
    }
    if (!ledger_key_is_valid(request->idempotency_key)) {
        end_line(begin_line(ctx, kind, request));
        *outcome = reject(ctx, reply, "idempotency key contains a tab or a line break");
        return 1;
    }
    fault = faults_draw(ctx->faults);
    if (fault == FAULT_NONE) {
        return 0;
    }
    {
        FILE *out = begin_line(ctx, kind, request);
        if (out != NULL) {
            fprintf(out, " fault=%s", fault_name(fault));
        }
        end_line(out);
    }
    if (fault == FAULT_SLOW) {
        sleep_ms(50);
        return 0;
    }
    *outcome = fault == FAULT_RETRY_LATER ? OC_OUTCOME_RETRY_LATER
                                          : reject(ctx, reply, "injected fault: rejected");
    return 1;
}

/* DONE for a key the ledger already holds, without carrying it out again. */
static int answer_from_ledger(host_context *ctx, const char *kind, const oc_request *request)
{
    if (!ledger_contains(ctx->ledger, kind, request->idempotency_key)) {
        return 0;
    }
    if (!ctx->quiet) {
        printf("[host] %s key=%s already done\n", kind, request->idempotency_key);
    }
    if (ledger_record_duplicate(ctx->ledger, kind, request->idempotency_key,
                                request->attempt) != 0) {
        fprintf(stderr, "[host] ledger: cannot record a duplicate: %s\n", strerror(errno));
    }
    return 1;
}

/* Records the action durably; on failure the plugin is told to retry. */
static int record(host_context *ctx, const char *kind, const oc_request *request)
{
    if (ledger_record(ctx->ledger, kind, request->idempotency_key, request->json,
                      request->json_len) == 0) {
        return 0;
    }
    fprintf(stderr, "[host] %s key=%s: ledger write failed, answering retry later: %s\n", kind,
            request->idempotency_key, strerror(errno));
    return -1;
}

static int32_t on_refund(void *user_data, const oc_request *request, oc_reply *reply)
{
    host_context *ctx = user_data;
    int32_t outcome;
    money amount;
    FILE *out;
    ctx->counts.refund++;
    if (request_is_usable(request) && answer_from_ledger(ctx, LEDGER_REFUND, request)) {
        return OC_OUTCOME_DONE;
    }
    if (screen(ctx, LEDGER_REFUND, request, reply, &outcome)) {
        return outcome;
    }
    if (record(ctx, LEDGER_REFUND, request) != 0) {
        return OC_OUTCOME_RETRY_LATER;
    }
    out = begin_line(ctx, LEDGER_REFUND, request);
    if (out != NULL && money_from_request(json_span_of(request->json, request->json_len),
                                          &amount)) {
        fprintf(out, " amount=%lld currency=%s", (long long)amount.amount,
                amount.currency[0] != '\0' ? amount.currency : "-");
    }
    print_json(out, request);
    end_line(out);
    return OC_OUTCOME_DONE;
}

/* What an inventory request asks for. The shape is still open: "sku",
   optional "location", and a signed "delta" (or a "quantity" to add back,
   as a restock of returned items would send). */
typedef struct inventory_change {
    char *sku;
    char *location;
    int64_t delta;
} inventory_change;

static int read_inventory_change(const oc_request *request, inventory_change *change)
{
    json_span body = json_span_of(request->json, request->json_len);
    change->sku = json_find_string(body, "sku");
    change->location = json_find_string(body, "location");
    if (change->sku == NULL) {
        return -1;
    }
    if (json_find_int64(body, "delta", &change->delta) ||
        json_find_int64(body, "quantity", &change->delta)) {
        return 0;
    }
    return -1;
}

static void free_inventory_change(inventory_change *change)
{
    free(change->sku);
    free(change->location);
}

/* Finds the stock row or rejects; returns NULL when it rejected. */
static stock_row *find_stock_or_reject(host_context *ctx, const oc_request *request,
                                       oc_reply *reply, const inventory_change *change,
                                       int32_t *outcome)
{
    char reason[256];
    stock_row *row;
    FILE *out;
    if (change->sku == NULL) {
        snprintf(reason, sizeof reason, "request has no sku and delta this host understands");
    } else {
        row = host_store_find_stock(ctx->store, change->sku, change->location);
        if (row == NULL) {
            /* A known SKU arriving somewhere new, e.g. damaged returns. */
            row = host_store_open_location(ctx->store, change->sku, change->location);
        }
        if (row != NULL) {
            return row;
        }
        snprintf(reason, sizeof reason, "unknown sku %s at %s", change->sku,
                 change->location != NULL ? change->location : "any location");
    }
    out = begin_line(ctx, LEDGER_ADJUST_INVENTORY, request);
    if (out != NULL) {
        fprintf(out, " rejected: %s", reason);
    }
    end_line(out);
    *outcome = reject(ctx, reply, reason);
    return NULL;
}

static int32_t apply_inventory(host_context *ctx, const oc_request *request, oc_reply *reply)
{
    inventory_change change;
    int32_t outcome = OC_OUTCOME_DONE;
    stock_row *row;
    FILE *out;
    if (read_inventory_change(request, &change) != 0) {
        free(change.sku);
        change.sku = NULL;
    }
    row = find_stock_or_reject(ctx, request, reply, &change, &outcome);
    if (row != NULL && record(ctx, LEDGER_ADJUST_INVENTORY, request) != 0) {
        outcome = OC_OUTCOME_RETRY_LATER;
    } else if (row != NULL) {
        row->on_hand += change.delta;
        out = begin_line(ctx, LEDGER_ADJUST_INVENTORY, request);
        if (out != NULL) {
            fprintf(out, " sku=%s location=%s delta=%lld on_hand=%lld", row->sku, row->location,
                    (long long)change.delta, (long long)row->on_hand);
        }
        print_json(out, request);
        end_line(out);
    }
    free_inventory_change(&change);
    return outcome;
}

static int32_t on_adjust_inventory(void *user_data, const oc_request *request, oc_reply *reply)
{
    host_context *ctx = user_data;
    int32_t outcome;
    ctx->counts.adjust_inventory++;
    if (request_is_usable(request) && answer_from_ledger(ctx, LEDGER_ADJUST_INVENTORY, request)) {
        return OC_OUTCOME_DONE;
    }
    if (screen(ctx, LEDGER_ADJUST_INVENTORY, request, reply, &outcome)) {
        return outcome;
    }
    return apply_inventory(ctx, request, reply);
}

/* A message to a customer, by its template, for replay's closing lines. */
static void count_customer_message(host_context *ctx, const oc_request *request)
{
    json_span body = json_span_of(request->json, request->json_len);
    char *audience = json_find_string(body, "audience");
    char *template_id = json_find_string(body, "template");
    if (audience != NULL && template_id != NULL && strcmp(audience, "customer") == 0 &&
        sent_tally_add(&ctx->customer_messages, template_id) != 0) {
        fprintf(stderr, "[host] notify: out of memory counting %s\n", template_id);
    }
    free(audience);
    free(template_id);
}

static int32_t on_notify(void *user_data, const oc_request *request, oc_reply *reply)
{
    host_context *ctx = user_data;
    int32_t outcome;
    FILE *out;
    ctx->counts.notify++;
    if (request_is_usable(request) &&
        key_index_find(&ctx->notified, request->idempotency_key, NULL)) {
        if (!ctx->quiet) {
            printf("[host] notify key=%s already done\n", request->idempotency_key);
        }
        return OC_OUTCOME_DONE;
    }
    if (screen(ctx, "notify", request, reply, &outcome)) {
        return outcome;
    }
    if (key_index_add(&ctx->notified, request->idempotency_key, 0) < 0) {
        fprintf(stderr, "[host] notify: out of memory\n");
        return OC_OUTCOME_RETRY_LATER;
    }
    count_customer_message(ctx, request);
    out = begin_line(ctx, "notify", request);
    print_json(out, request);
    end_line(out);
    return OC_OUTCOME_DONE;
}

static int32_t answer_order(host_context *ctx, oc_reply *reply, const host_order *order)
{
    oc_status status = ctx->api->reply_set(reply, order->json, order->json_len);
    if (status == OC_OK) {
        return OC_OUTCOME_DONE;
    }
    fprintf(stderr, "[host] lookup_order %s: oc_reply_set: %s: %s\n", order->id,
            ctx->api->status_name(status), ctx->api->last_error());
    return reject(ctx, reply, "the host's copy of the order is not valid JSON");
}

/* Answers with the order object as the platform holds it (the data.order
   of its order.created), or REJECTED when the platform has no such order. */
static int32_t on_lookup_order(void *user_data, const oc_request *request, oc_reply *reply)
{
    host_context *ctx = user_data;
    const host_order *order = NULL;
    char *order_id;
    int32_t outcome;
    FILE *out;
    ctx->counts.lookup_order++;
    if (!request_is_usable(request)) {
        return reject(ctx, reply, "request without its version-1 fields");
    }
    order_id = json_find_string(json_span_of(request->json, request->json_len), "order_id");
    if (order_id != NULL) {
        order = host_store_find_order(ctx->store, order_id);
    }
    out = begin_line(ctx, "lookup_order", request);
    if (out != NULL) {
        fprintf(out, " order=%s %s", order_id != NULL ? order_id : "-",
                order != NULL ? "found" : "unknown");
    }
    end_line(out);
    outcome = order != NULL ? answer_order(ctx, reply, order) : reject(ctx, reply, "unknown order");
    free(order_id);
    return outcome;
}

/* FNV-1a: a short code from the key, so the answer to a repeat (from the
   ledger) carries the same label, tracking number and code as the first. */
static unsigned long key_code(const char *key)
{
    uint32_t h = 2166136261u;
    for (; *key != '\0'; key++) {
        h ^= (unsigned char)*key;
        h *= 16777619u;
    }
    return (unsigned long)h;
}

/* "YYYY-MM-DDTHH:MM:SSZ" three days from the host's now: a delivery
   estimate for a shipment it just made. */
static void estimate(const host_context *ctx, char *out, size_t size)
{
    time_t now = ctx->clock->enabled ? (time_t)(ctx->clock->now_ms / 1000) : time(NULL);
    time_t eta = now + 3 * 24 * 3600;
    struct tm parts;
    if (gmtime_r(&eta, &parts) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0) {
        snprintf(out, size, "1970-01-04T00:00:00Z");
    }
}

/* What the platform says it did for each action (abi/CALLBACKS.md): a
   shipment's carrier, tracking and estimate; a label's link; a code. */
static void answer_action(host_context *ctx, oc_reply *reply, const char *action, const char *key)
{
    char body[512];
    char eta[32];
    unsigned long code = key_code(key);
    int len;
    oc_status status;
    if (action != NULL && (strcmp(action, "reship") == 0 || strcmp(action, "exchange") == 0)) {
        estimate(ctx, eta, sizeof eta);
        len = snprintf(body, sizeof body,
                       "{\"carrier\":\"dhl\",\"tracking_number\":\"JD%08lX\",\"eta\":\"%s\","
                       "\"host_reference\":\"SH-%08lX\"}",
                       code, eta, code);
    } else if (action != NULL && strcmp(action, "return_label") == 0) {
        len = snprintf(body, sizeof body,
                       "{\"label_url\":\"https://returns.example.com/labels/RL%08lX.pdf\","
                       "\"tracking_number\":\"RL%08lX\",\"carrier\":\"dhl\"}",
                       code, code);
    } else if (action != NULL && strcmp(action, "offer") == 0) {
        len = snprintf(body, sizeof body, "{\"code\":\"SORRY-%08lX\"}", code);
    } else {
        len = snprintf(body, sizeof body, "{\"host_reference\":\"OA-%08lX\"}", code);
    }
    status = ctx->api->reply_set(reply, body, (size_t)len);
    if (status != OC_OK) {
        fprintf(stderr, "[host] order_action: oc_reply_set: %s: %s\n", ctx->api->status_name(status),
                ctx->api->last_error());
    }
}

/* Reship, exchange, cancel, return label or offer: carried out once per
   key against the ledger, like a refund; a repeat gets the same answer. */
static int32_t on_order_action(void *user_data, const oc_request *request, oc_reply *reply)
{
    host_context *ctx = user_data;
    int32_t outcome;
    char *action;
    FILE *out;
    ctx->counts.order_action++;
    if (!request_is_usable(request)) {
        return reject(ctx, reply, "request without its version-1 fields");
    }
    action = json_find_string(json_span_of(request->json, request->json_len), "action");
    if (answer_from_ledger(ctx, LEDGER_ORDER_ACTION, request)) {
        answer_action(ctx, reply, action, request->idempotency_key);
        free(action);
        return OC_OUTCOME_DONE;
    }
    if (screen(ctx, LEDGER_ORDER_ACTION, request, reply, &outcome)) {
        free(action);
        return outcome;
    }
    if (record(ctx, LEDGER_ORDER_ACTION, request) != 0) {
        free(action);
        return OC_OUTCOME_RETRY_LATER;
    }
    if (sent_tally_add(&ctx->order_actions, action != NULL ? action : "-") != 0) {
        fprintf(stderr, "[host] order_action: out of memory counting it\n");
    }
    out = begin_line(ctx, LEDGER_ORDER_ACTION, request);
    if (out != NULL) {
        fprintf(out, " action=%s", action != NULL ? action : "-");
    }
    print_json(out, request);
    end_line(out);
    answer_action(ctx, reply, action, request->idempotency_key);
    free(action);
    return OC_OUTCOME_DONE;
}

static const char *level_name(int32_t level)
{
    switch (level) {
    case OC_LOG_ERROR:
        return "ERROR";
    case OC_LOG_WARN:
        return "WARN";
    case OC_LOG_INFO:
        return "INFO";
    case OC_LOG_DEBUG:
        return "DEBUG";
    default:
        return "LOG";
    }
}

/* Plugin diagnostics go to stderr; --quiet keeps only warnings and errors. */
static void on_log(void *user_data, int32_t level, const char *message, size_t len)
{
    const host_context *ctx = user_data;
    if (message == NULL || (ctx->quiet && level > OC_LOG_WARN)) {
        return;
    }
    fprintf(stderr, "[plugin] %s ", level_name(level));
    if (fwrite(message, 1, len, stderr) != len) {
        return;
    }
    fputc('\n', stderr);
}

static int64_t on_now_ms(void *user_data)
{
    const host_context *ctx = user_data;
    return ctx->clock->now_ms;
}

void callbacks_fill(oc_host *host, host_context *ctx)
{
    memset(host, 0, sizeof *host);
    host->struct_size = (uint32_t)sizeof *host;
    host->user_data = ctx;
    host->refund = on_refund;
    host->adjust_inventory = on_adjust_inventory;
    host->notify = on_notify;
    host->lookup_order = on_lookup_order;
    host->order_action = on_order_action;
    host->log = on_log;
    /* now_ms is called only on threads that call into the plugin (this host
       has one) unless OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD is set, which this
       host never does, so the clock needs no lock. */
    host->now_ms = ctx->clock->enabled ? on_now_ms : NULL;
}
