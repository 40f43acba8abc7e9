/*
 * callbacks.h - the host side of oc_host: refund, adjust_inventory, notify,
 * lookup_order, order_action, log and the optional now_ms clock.
 *
 * Every effect callback prints one line (unless quiet) and honours the
 * idempotency key: refunds, inventory adjustments and order actions are
 * checked against and recorded in the ledger before DONE is answered; notifications are
 * remembered for the life of the process.
 */
#ifndef OC_HOST_CALLBACKS_H
#define OC_HOST_CALLBACKS_H

#include <stdint.h>

#include "faults.h"
#include "host_store.h"
#include "key_index.h"
#include "ledger.h"
#include "ordercare.h"
#include "plugin_loader.h"
#include "sent_tally.h"
#include "virtual_clock.h"

typedef struct callback_counts {
    uint32_t refund;
    uint32_t adjust_inventory;
    uint32_t notify;
    uint32_t lookup_order;
    uint32_t order_action;
} callback_counts;

typedef struct host_context {
    const oc_api *api;     /* For oc_reply_set. */
    host_store *store;
    ledger *ledger;
    faults *faults;
    virtual_clock *clock;
    key_index notified;    /* Notification keys already delivered. */
    callback_counts counts;
    sent_tally customer_messages; /* Delivered to customers, by template. */
    sent_tally order_actions;     /* Carried out, by action. */
    int quiet;
} host_context;

/* Sets up ctx (which must outlive the plugin) with the given parts. */
void host_context_init(host_context *ctx, const oc_api *api, host_store *store, ledger *record,
                       faults *injector, virtual_clock *clock, int quiet);
void host_context_free(host_context *ctx);

/* Fills the oc_host table: every callback set, now_ms only when the
   virtual clock is enabled. */
void callbacks_fill(oc_host *host, host_context *ctx);

#endif
