/*
 * agent_actions.h - the people of a replayed day: what agents, managers and
 * the survey tool did, as oc_call commands at their times, interleaved by
 * replay with the events (ordercare-host --agents FILE).
 *
 * The file is JSON Lines, one action a line:
 *   {"id": "act-0001", "at": "2026-11-20T08:03:10Z", "by": "ingrid",
 *    "method": "case.reply",
 *    "case": {"order_id": "ord_72936", "type": "wrong_item"},
 *    "params": {"agent": "ingrid", "text": "..."}}
 *   id      optional; passed as the command's request_id, so replaying the
 *           same file into the same store does nothing twice
 *   at      RFC 3339 with an offset: when it was done (the virtual clock
 *           moves there first)
 *   by      optional; who did it, for the output only
 *   method  an oc_call method (abi/CALLS.md)
 *   case    optional; finds the case the way an agent would, by what the
 *           customer gave: any cases.list filters (order_id, customer_id,
 *           type, status...). The first case listed is taken; its id is
 *           passed as "id" to case.* methods and as "case_id" to others.
 *   params  optional; the rest of the method's arguments, as they are
 * Blank lines are skipped. Actions run in time order (the file's order
 * among equal times).
 */
#ifndef OC_HOST_AGENT_ACTIONS_H
#define OC_HOST_AGENT_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "plugin_loader.h"

typedef struct agent_action {
    int64_t at_ms;
    unsigned long line_no; /* In the file, counting every line. */
    char *line;            /* NUL-terminated copy of the line. */
    size_t len;
} agent_action;

typedef struct agent_actions {
    agent_action *items;   /* Sorted by at_ms, then line_no. */
    size_t count;
    size_t next;           /* The first not run yet. */
    unsigned long done;
    unsigned long refused;
} agent_actions;

/* An empty list, safe to agent_actions_free. */
void agent_actions_init(agent_actions *actions);
void agent_actions_free(agent_actions *actions);

/* Reads and checks the file (each line an object with "at" and "method").
   0, or -1 with a message naming the line. */
int agent_actions_load(agent_actions *actions, const char *path, char *error, size_t error_size);

/* 1 if an action not run yet is due before ms (strictly). */
int agent_actions_due_before(const agent_actions *actions, int64_t ms);

/* 1 if an action has not run yet; its time in *ms. */
int agent_actions_pending(const agent_actions *actions, int64_t *ms);

/* Runs the next action through api->call and prints one line:
 *   action <N>: done <method> [<case id>] [by <by>]
 *   action <N>: refused: <OC_STATUS_NAME>: <message>
 *   action <N>: failed: <OC_STATUS_NAME>: <message>
 * N is the action's line in the file. A refusal (the plugin said no: not
 * found, refused, illegal transition, bad arguments) is data and the day
 * goes on: 0. Anything else (the store, the plugin) is -1. */
int agent_actions_run_next(agent_actions *actions, const oc_api *api, oc_plugin *plugin);

#endif
