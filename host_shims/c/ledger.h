/*
 * ledger.h - the host's durable record of the actions it carried out.
 *
 * One line per record, "<kind>\t<idempotency key>\t<request json>\n":
 *   refund / adjust_inventory / order_action
 *                               an action carried out (appended and fsynced
 *                               before the host answers DONE)
 *   duplicate                   a later attempt answered from the ledger;
 *                               its json is {"kind": ..., "attempt": n}
 * Crash tests read it to prove that every effect was carried out exactly
 * once. A torn last line (a crash mid-append) was never answered DONE and is
 * dropped at load. Without a file the ledger lives in memory only.
 */
#ifndef OC_HOST_LEDGER_H
#define OC_HOST_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "key_index.h"
#include "money.h"

#define LEDGER_REFUND "refund"
#define LEDGER_ADJUST_INVENTORY "adjust_inventory"
#define LEDGER_ORDER_ACTION "order_action"
#define LEDGER_DUPLICATE "duplicate"

typedef struct ledger {
    int fd;                /* -1 when memory only. */
    char *path;
    off_t size;            /* Bytes of complete lines in the file. */
    key_index done;        /* "<kind>\t<key>" of every action carried out. */
    size_t refunds;
    size_t adjustments;
    size_t order_actions;
    size_t duplicates;
    size_t applied_twice;  /* Action lines whose key was already done: a bug. */
    money_totals refunded;
    size_t refunds_without_amount;
} ledger;

/* An empty memory-only ledger, safe to ledger_close. */
void ledger_init(ledger *l);

/* Opens (creating it if needed) and loads the ledger at path; path NULL
   means memory only. 0 on success, -1 with a message. */
int ledger_open(ledger *l, const char *path, char *error, size_t error_size);
void ledger_close(ledger *l);

/* 1 if a key can be written on one ledger line (no tab, CR or LF). */
int ledger_key_is_valid(const char *key);

/* 1 if the action kind/key was already carried out. */
int ledger_contains(const ledger *l, const char *kind, const char *key);

/* Records an action as carried out: appends and fsyncs its line. 0 on
   success; -1 (errno set, nothing recorded) on I/O error or out of memory. */
int ledger_record(ledger *l, const char *kind, const char *key, const char *json, size_t len);

/* Records that an attempt was answered from the ledger. 0 or -1 as above. */
int ledger_record_duplicate(ledger *l, const char *kind, const char *key, uint32_t attempt);

/* Prints the summary lines (see main.c for the format). */
void ledger_print_summary(const ledger *l, FILE *out);

#endif
