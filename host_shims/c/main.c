/*
 * ordercare-host - the reference host: loads libordercare.so with dlopen,
 * plays the e-commerce platform (stock, orders, refunds) behind the oc_host
 * callbacks, and drives the plugin from the command line.
 *
 * Usage:
 *   ordercare-host [options] replay FILE.jsonl [--agents ACTIONS.jsonl]
 *   ordercare-host [options] query METHOD [ARGS_JSON]
 *   ordercare-host [options] report METHOD [ARGS_JSON]
 *   ordercare-host [options] poll
 *   ordercare-host [options] serve
 *   ordercare-host --ledger FILE ledger
 *
 * replay submits the file's lines with oc_submit_batch, up to 256 lines
 * (4 MiB) a call, and polls the callbacks between calls; on the fixed
 * clock one line a call, so each event is processed at its own time with
 * what fell due before it already done, as line by line. With --agents,
 * the people's actions of agent_actions.h run between the events by time
 * (each at its own time on the fixed clock), each followed by a poll.
 *
 * Options (anywhere on the line, before or after the command; "--" ends
 * them):
 *   --lib PATH          libordercare.so to load (default: the one installed
 *                       with this program, else the build's)
 *   --config FILE       config JSON passed in oc_options
 *   --db PATH           shorthand for the config {"store":{"path":PATH}};
 *                       refused together with --config
 *   --ledger FILE       durable record of refunds, inventory adjustments and
 *                       order actions
 *                       carried out (default: memory only)
 *   --clock real|fixed:<rfc3339>
 *                       real (default): the plugin reads its own clock;
 *                       fixed: oc_host.now_ms starts at that instant and
 *                       follows the occurred_at of replayed lines forward
 *   --faults SEED:RATE  refund/adjust_inventory/notify answer RETRY_LATER,
 *                       REJECTED or are slow (50 ms) with probability RATE,
 *                       deterministically from SEED
 *   --stock FILE        stock TSV (sku, location, on_hand); default
 *                       host_shims/c/data/stock.tsv when it exists
 *   --orders FILE       learn orders (order.created lines) for lookup_order;
 *                       replay also learns from its own FILE first
 *   --agents FILE       replay: what agents, managers and the survey tool did
 *                       that day, as oc_call commands (agent_actions.h)
 *   --quiet             no [host] lines, no plugin INFO/DEBUG logs
 *   --json              report prints the whole result as JSON, not its content
 *   -h, --help          the usage, every command and option, the exit codes
 *   --version           this program's version, and the library's with its ABI
 *
 * Output (stdout, one record a line, stable for scripts to grep):
 *   line <N>: accepted <event_id>         N counts every line of the file
 *   line <N>: duplicate <event_id>
 *   line <N>: rejected: <OC_STATUS_NAME>: <message>   (what oc_submit would say)
 *   line <N>: failed: <OC_STATUS_NAME>: <message>   (stops the replay, once
 *                                      the lines of the same call are reported)
 *   action <N>: done <method> [<case id>] [by <who>]   N: the --agents line
 *   action <N>: refused: <OC_STATUS_NAME>: <message>   (the day goes on)
 *   action <N>: failed: <OC_STATUS_NAME>: <message>    (stops the replay)
 *   accepted <A>, duplicate <D>, rejected <R> of <L> lines  (L: non-blank)
 *   actions: done <D>, refused <R> of <A>              (with --agents)
 *   callbacks: refund <n>, adjust_inventory <n>, notify <n>, lookup_order <n>,
 *              order_action <n>
 *   delivered to customers: <template> <n>, ...   (first deliveries, by name;
 *                                                  "none" if nothing)
 *   order actions carried out: <action> <n>, ...
 *   poll: ran <n> callbacks
 *   serve: ready, wakeup fd <fd> | serve: webhooks on http://<addr>:<port>/webhooks/ |
 *   serve: no webhook server (...) | serve: stopping on signal <n> |
 *   serve: ran <n> callbacks
 *   query: the result JSON as the plugin wrote it, then a newline
 *   report: the result's "content" as it reads (a string raw, e.g. the text
 *           of report.daily {"format": "text"}; JSON otherwise), newline-ended
 * Callback lines (stdout, unless --quiet), JSON whitespace flattened:
 *   [host] refund key=<key> attempt=<n> [amount=<minor> currency=<ISO>] <json>
 *   [host] adjust_inventory key=<key> attempt=<n> sku=<s> location=<l>
 *          delta=<d> on_hand=<n> <json>      (one line)
 *   [host] adjust_inventory key=<key> attempt=<n> rejected: <reason>
 *   [host] notify key=<key> attempt=<n> <json>
 *   [host] lookup_order key=<key> attempt=<n> order=<id> found|unknown
 *   [host] order_action key=<key> attempt=<n> action=<action> <json>
 *   [host] <kind> key=<key> already done     (answered from the ledger)
 *   [host] <kind> key=<key> attempt=<n> fault=retry_later|rejected|slow
 * The ledger command prints each refund, inventory adjustment and order
 * action carried out (key, order, method, amount / key, SKU, location,
 * delta, reason / key, action, order, case), then:
 *   ledger <path>, kind refund <n>, kind adjust_inventory <n>, kind order_action <n>,
 *   refunded <ISO> <minor units> (one line per currency),
 *   refunds_without_amount <n>, duplicates_seen <n>, applied_twice <n>
 * Diagnostics go to stderr: "[plugin] <LEVEL> <message>" from the log
 * callback, "[host] ..." notices, and "<command>: ..." errors.
 *
 * Exit codes: 0 the command completed (rejected lines are expected data);
 * 1 it failed (an oc_call or oc_poll error, a plugin failure during replay,
 * an unreadable file, the ledger); 2 bad arguments; 3 the library could not
 * be loaded or its ABI is incompatible; 4 oc_open failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callbacks.h"
#include "commands.h"
#include "faults.h"
#include "host_config.h"
#include "host_store.h"
#include "ledger.h"
#include "ledger_report.h"
#include "plugin_loader.h"
#include "virtual_clock.h"

#ifndef OC_HOST_DEFAULT_LIB
#define OC_HOST_DEFAULT_LIB "libordercare.so"
#endif
#ifndef OC_HOST_INSTALLED_LIB
#define OC_HOST_INSTALLED_LIB "../lib/libordercare.so"
#endif
#ifndef OC_HOST_VERSION
#define OC_HOST_VERSION "unknown"
#endif
#ifndef OC_HOST_SONAME
#define OC_HOST_SONAME "libordercare.so"
#endif
#ifndef OC_HOST_DEFAULT_STOCK
#define OC_HOST_DEFAULT_STOCK ""
#endif

typedef struct host_options {
    const char *lib;
    const char *config;
    const char *db;
    const char *ledger;
    const char *clock;
    const char *faults;
    const char *stock;
    const char *orders;
    const char *agents;
    int quiet;
    int json;
    const char *command;
    char **args;
    int arg_count;
} host_options;

/* Everything the plugin's callbacks point into; lives until after oc_close. */
typedef struct host_parts {
    host_store store;
    ledger ledger;
    faults faults;
    virtual_clock clock;
    agent_actions actions;
} host_parts;

static void print_usage(FILE *out)
{
    fputs("usage: ordercare-host [OPTION...] COMMAND [ARG...]\n"
          "The reference host: loads libordercare, plays the shop behind its callbacks\n"
          "(stock, orders, refunds, notices) and drives it from the command line.\n"
          "\n"
          "Commands:\n"
          "  replay FILE.jsonl      submit the file's events (oc_submit_batch), running due\n"
          "                         callbacks between calls; one line per event's answer\n"
          "                         and per --agents action\n"
          "  query METHOD [JSON]    an oc_call method (abi/CALLS.md); prints its result JSON\n"
          "  report METHOD [JSON]   the same, printing the result's content as it reads\n"
          "                         (a text or HTML report); with --json the whole result\n"
          "  poll                   run the host callbacks that are due (oc_poll)\n"
          "  serve                  receive webhooks until SIGINT or SIGTERM\n"
          "  ledger                 what the --ledger file recorded as carried out\n"
          "\n"
          "Options (anywhere on the line; \"--\" ends them):\n"
          "  --lib PATH             libordercare to load (default: the one installed with\n"
          "                         this program, else the build's)\n"
          "  --config FILE          the config JSON (README, Config reference)\n"
          "  --db PATH              shorthand for {\"store\": {\"path\": PATH}}; not with --config\n"
          "  --ledger FILE          durable record of what the callbacks carried out\n"
          "  --clock real|fixed:<rfc3339>\n"
          "                         fixed: the host's clock starts there and follows the\n"
          "                         replayed events' occurred_at\n"
          "  --faults SEED:RATE     callbacks answer RETRY_LATER, REJECTED or slowly with\n"
          "                         probability RATE, deterministically from SEED\n"
          "  --stock FILE           stock TSV (sku, location, on_hand)\n"
          "  --orders FILE          order.created lines to answer lookup_order from\n"
          "  --agents FILE          replay: the people's actions, interleaved with the events\n"
          "                         by time, one JSON object a line:\n"
          "                           {\"id\": \"act-1\", \"at\": \"<rfc3339>\", \"by\": \"who\",\n"
          "                            \"method\": \"case.reply\", \"case\": {cases.list filters},\n"
          "                            \"params\": {the method's other arguments}}\n"
          "                         the first case listed goes in as \"id\" (case.*) or\n"
          "                         \"case_id\"; \"id\" goes in as the request_id\n"
          "  --json                 report: the whole result as JSON\n"
          "  --quiet                no [host] lines, no plugin INFO/DEBUG logs\n"
          "  -h, --help             this text\n"
          "  --version              this program's version, and the library's with its ABI\n"
          "\n"
          "Exit codes: 0 done (rejected lines are data, not failures); 1 the command failed\n"
          "(a call, a poll, a file, the ledger); 2 bad arguments; 3 the library could not\n"
          "be loaded or its ABI is not 1.x; 4 oc_open failed.\n",
          out);
}

/* The library loaded when --lib is not given. Installed, this program
 * takes the one installed with it (OC_HOST_INSTALLED_LIB, relative to its
 * own directory), not a build tree's that may still be on the machine; run
 * from a build tree, that build's (OC_HOST_DEFAULT_LIB); else whatever the
 * dynamic loader finds by the ABI's soname. */
static const char *default_library(void)
{
    static char installed[4096];
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash;
    if (n > 0) {
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            if (snprintf(installed, sizeof installed, "%s/%s", self, OC_HOST_INSTALLED_LIB) <
                    (int)sizeof installed &&
                access(installed, F_OK) == 0) {
                return installed;
            }
        }
    }
    if (access(OC_HOST_DEFAULT_LIB, F_OK) == 0) {
        return OC_HOST_DEFAULT_LIB;
    }
    return OC_HOST_SONAME;
}

static int usage_error(const char *message)
{
    fprintf(stderr,
            "ordercare-host: %s\n"
            "usage: ordercare-host [OPTION...] COMMAND [ARG...]  (ordercare-host --help: every command "
            "and option)\n",
            message);
    return HOST_EXIT_USAGE;
}

/* The option taking a value at argv[*i], or NULL if argv[*i] is not one. */
static const char **option_slot(host_options *o, const char *name)
{
    static const char *const names[] = {"--lib",    "--config", "--db",     "--ledger", "--clock",
                                        "--faults", "--stock",  "--orders", "--agents"};
    const char **slots[9];
    size_t i;
    slots[0] = &o->lib;
    slots[1] = &o->config;
    slots[2] = &o->db;
    slots[3] = &o->ledger;
    slots[4] = &o->clock;
    slots[5] = &o->faults;
    slots[6] = &o->stock;
    slots[7] = &o->orders;
    slots[8] = &o->agents;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            return slots[i];
        }
    }
    return NULL;
}

static int expected_args(const char *command, int *min, int *max)
{
    static const struct {
        const char *name;
        int min;
        int max;
    } commands[] = {{"replay", 1, 1}, {"query", 1, 2}, {"report", 1, 2}, {"poll", 0, 0},
                    {"serve", 0, 0},  {"ledger", 0, 0}};
    size_t i;
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(command, commands[i].name) == 0) {
            *min = commands[i].min;
            *max = commands[i].max;
            return 1;
        }
    }
    return 0;
}

/* Returns -1 to go on, or an exit code (0 after --help or --version,
   which print_version answers once the library is loaded). Options may
   come before or after the command; the command's arguments are moved to
   the front of argv in their order (a write never passes the read). */
static int parse_options(int argc, char **argv, host_options *o, int *version)
{
    int i;
    int min;
    int max;
    int positional = 0;
    int options_done = 0;
    char message[256];
    memset(o, 0, sizeof *o);
    *version = 0;
    o->lib = default_library();
    o->clock = "real";
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot;
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            argv[1 + positional++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_usage(stdout);
            return HOST_EXIT_OK;
        }
        if (strcmp(arg, "--version") == 0) {
            *version = 1;
            continue;
        }
        if (strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        if (strcmp(arg, "--json") == 0) {
            o->json = 1;
            continue;
        }
        slot = option_slot(o, arg);
        if (slot == NULL || i + 1 >= argc) {
            snprintf(message, sizeof message, slot == NULL ? "unknown option %s" : "%s needs a value", arg);
            return usage_error(message);
        }
        *slot = argv[++i];
    }
    if (*version) {
        return -1;
    }
    if (positional == 0) {
        return usage_error("no command given");
    }
    o->command = argv[1];
    o->args = argv + 2;
    o->arg_count = positional - 1;
    if (!expected_args(o->command, &min, &max)) {
        snprintf(message, sizeof message, "unknown command '%s'", o->command);
        return usage_error(message);
    }
    if (o->arg_count < min || o->arg_count > max) {
        snprintf(message, sizeof message, "wrong number of arguments for %s", o->command);
        return usage_error(message);
    }
    if (strcmp(o->command, "ledger") == 0 && o->ledger == NULL) {
        return usage_error("the ledger command needs --ledger FILE");
    }
    if (o->agents != NULL && strcmp(o->command, "replay") != 0) {
        return usage_error("--agents goes with the replay command");
    }
    return -1;
}

/* --version: this program's, then the library's as loaded. */
static int print_version(const host_options *o)
{
    oc_api api;
    char error[512];
    uint32_t abi;
    printf("ordercare-host %s\n", OC_HOST_VERSION);
    if (plugin_load(&api, o->lib, error, sizeof error) != 0) {
        fprintf(stderr, "ordercare-host: %s\n", error);
        return HOST_EXIT_LOAD;
    }
    abi = api.abi_version();
    printf("libordercare %s, ABI %lu.%lu (%s)\n", api.version_string(), (unsigned long)(abi >> 16),
           (unsigned long)(abi & 0xFFFFu), o->lib);
    plugin_unload(&api);
    return HOST_EXIT_OK;
}

static int file_exists(const char *path)
{
    struct stat info;
    return path[0] != '\0' && stat(path, &info) == 0;
}

/* The platform's stock and orders. 0, or -1 with a message. */
static int load_store(const host_options *o, host_store *store, char *error, size_t error_size)
{
    const char *stock = o->stock;
    if (stock == NULL && file_exists(OC_HOST_DEFAULT_STOCK)) {
        stock = OC_HOST_DEFAULT_STOCK;
    }
    if (stock == NULL && !o->quiet) {
        fprintf(stderr, "[host] no stock file: every inventory adjustment will be rejected\n");
    }
    if (stock != NULL && host_store_load_stock(store, stock, error, error_size) != 0) {
        return -1;
    }
    if (o->orders != NULL && host_store_learn_orders(store, o->orders, error, error_size) != 0) {
        return -1;
    }
    if (strcmp(o->command, "replay") == 0 &&
        host_store_learn_orders(store, o->args[0], error, error_size) != 0) {
        return -1;
    }
    return 0;
}

/* Clock, faults, store and ledger (only the ledger for the ledger command).
   Returns -1 to go on, or an exit code. */
static int open_parts(const host_options *o, host_parts *parts)
{
    char error[512];
    int ledger_only = strcmp(o->command, "ledger") == 0;
    if (virtual_clock_parse(&parts->clock, o->clock, error, sizeof error) != 0 ||
        (o->faults != NULL && faults_parse(&parts->faults, o->faults, error, sizeof error) != 0)) {
        return usage_error(error);
    }
    if (ledger_only && !file_exists(o->ledger)) {
        fprintf(stderr, "ordercare-host: no ledger at %s\n", o->ledger);
        return HOST_EXIT_FAILED;
    }
    if ((!ledger_only && load_store(o, &parts->store, error, sizeof error) != 0) ||
        (o->agents != NULL &&
         agent_actions_load(&parts->actions, o->agents, error, sizeof error) != 0) ||
        ledger_open(&parts->ledger, o->ledger, error, sizeof error) != 0) {
        fprintf(stderr, "ordercare-host: %s\n", error);
        return HOST_EXIT_FAILED;
    }
    return -1;
}

static void close_parts(host_parts *parts)
{
    ledger_close(&parts->ledger);
    host_store_free(&parts->store);
    agent_actions_free(&parts->actions);
}

static int run_command(host_app *app, const host_options *o, agent_actions *actions)
{
    if (strcmp(o->command, "replay") == 0) {
        return command_replay(app, o->args[0], actions);
    }
    if (strcmp(o->command, "query") == 0) {
        return command_query(app, o->args[0], o->arg_count > 1 ? o->args[1] : NULL);
    }
    if (strcmp(o->command, "report") == 0 && !o->json) {
        return command_report(app, o->args[0], o->arg_count > 1 ? o->args[1] : NULL);
    }
    if (strcmp(o->command, "report") == 0) {
        return command_query(app, o->args[0], o->arg_count > 1 ? o->args[1] : NULL);
    }
    if (strcmp(o->command, "poll") == 0) {
        return command_poll(app);
    }
    return command_serve(app);
}

static int open_plugin(host_app *app, const host_options *o, const oc_host *host)
{
    oc_options options;
    char error[512];
    char *config = NULL;
    size_t config_len = 0;
    int bad_usage = 0;
    oc_status status;
    if (host_config_build(o->config, o->db, &config, &config_len, &bad_usage, error,
                          sizeof error) != 0) {
        if (bad_usage) {
            return usage_error(error);
        }
        fprintf(stderr, "ordercare-host: %s\n", error);
        return HOST_EXIT_FAILED;
    }
    memset(&options, 0, sizeof options);
    options.struct_size = (uint32_t)sizeof options;
    options.config_json = config;
    options.config_len = config_len;
    status = app->api.open(&options, host, &app->plugin);
    free(config);
    if (status != OC_OK) {
        fprintf(stderr, "ordercare-host: oc_open: %s: %s\n", app->api.status_name(status),
                app->api.last_error());
        return HOST_EXIT_OPEN;
    }
    return -1;
}

static int close_plugin(host_app *app, int rc)
{
    oc_status status = app->api.close(app->plugin);
    app->plugin = NULL;
    if (status != OC_OK) {
        fprintf(stderr, "ordercare-host: oc_close: %s: %s\n", app->api.status_name(status),
                app->api.last_error());
        return rc == HOST_EXIT_OK ? HOST_EXIT_FAILED : rc;
    }
    return rc;
}

/* Loads the library, opens the plugin, runs the command, closes. */
static int run_with_plugin(const host_options *o, host_parts *parts)
{
    host_app app;
    oc_host host;
    char error[512];
    int rc;
    memset(&app, 0, sizeof app);
    if (plugin_load(&app.api, o->lib, error, sizeof error) != 0) {
        fprintf(stderr, "ordercare-host: %s\n", error);
        return HOST_EXIT_LOAD;
    }
    if (!o->quiet) {
        uint32_t version = app.api.abi_version();
        fprintf(stderr, "[host] loaded %s: libordercare %s, ABI %lu.%lu\n", o->lib,
                app.api.version_string(), (unsigned long)(version >> 16),
                (unsigned long)(version & 0xFFFFu));
    }
    host_context_init(&app.ctx, &app.api, &parts->store, &parts->ledger, &parts->faults,
                      &parts->clock, o->quiet);
    callbacks_fill(&host, &app.ctx);
    rc = open_plugin(&app, o, &host);
    if (rc < 0) {
        rc = close_plugin(&app, run_command(&app, o, &parts->actions));
    }
    host_context_free(&app.ctx);
    plugin_unload(&app.api);
    return rc;
}

int main(int argc, char **argv)
{
    host_options options;
    host_parts parts;
    int version;
    int rc = parse_options(argc, argv, &options, &version);
    if (rc >= 0) {
        return rc;
    }
    if (version) {
        return print_version(&options);
    }
    /* Line-buffered even into a pipe, so a test that kills the host still
       reads every line it printed. */
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0) {
        fprintf(stderr, "ordercare-host: cannot line-buffer stdout\n");
    }
    host_store_init(&parts.store);
    ledger_init(&parts.ledger);
    faults_init(&parts.faults);
    agent_actions_init(&parts.actions);
    rc = open_parts(&options, &parts);
    if (rc < 0 && strcmp(options.command, "ledger") == 0) {
        rc = HOST_EXIT_OK;
        if (ledger_print_entries(&parts.ledger, stdout) != 0) {
            fprintf(stderr, "ledger: cannot read %s: %s\n", options.ledger, strerror(errno));
            rc = HOST_EXIT_FAILED;
        }
        ledger_print_summary(&parts.ledger, stdout);
    } else if (rc < 0) {
        rc = run_with_plugin(&options, &parts);
    }
    close_parts(&parts);
    return rc;
}
