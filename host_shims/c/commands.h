/*
 * commands.h - what ordercare-host does once the plugin is open: replay,
 * query, poll and serve. main.c documents their output.
 */
#ifndef OC_HOST_COMMANDS_H
#define OC_HOST_COMMANDS_H

#include "agent_actions.h"
#include "callbacks.h"
#include "plugin_loader.h"

/* Process exit codes. */
enum host_exit {
    HOST_EXIT_OK = 0,     /* The command completed. */
    HOST_EXIT_FAILED = 1, /* The command failed (a call, a poll, a file). */
    HOST_EXIT_USAGE = 2,  /* Bad arguments. */
    HOST_EXIT_LOAD = 3,   /* The library could not be loaded or is incompatible. */
    HOST_EXIT_OPEN = 4    /* oc_open failed. */
};

typedef struct host_app {
    oc_api api;
    oc_plugin *plugin;
    host_context ctx;
} host_app;

/* Replays the file's events, with the agents' actions (may be empty)
   interleaved by time. */
int command_replay(host_app *app, const char *path, agent_actions *actions);
int command_query(host_app *app, const char *method, const char *args_json);
/* Like query, but prints the "content" member of a {format, content}
   result: a string raw (text, HTML, CSV), anything else as JSON. */
int command_report(host_app *app, const char *method, const char *args_json);
int command_poll(host_app *app);
int command_serve(host_app *app);

#endif
