/* oc_open and oc_close: defaults, the struct_size rule, every config error,
   stores that cannot be opened; on each failure no handle and no file. */
#define _XOPEN_SOURCE 700

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi_test.h"

static char g_dir[512];
static char g_store[600];

static void setup(void) {
    abi_temp_dir(g_dir, sizeof g_dir);
    snprintf(g_store, sizeof g_store, "%s/store.db", g_dir);
}

static void teardown(void) { abi_remove_tree(g_dir); }

static int exists(const char *path) { return access(path, F_OK) == 0; }

static oc_options options_with(const char *config) {
    oc_options options;
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.config_json = config;
    options.config_len = config ? strlen(config) : 0;
    return options;
}

/* Opens with config (the store path is filled in for "%s"), expects want,
   and checks that a failure left no handle behind. */
static oc_status open_expect(const char *config_format, oc_status want) {
    char config[2048];
    oc_options options;
    oc_plugin *plugin = (oc_plugin *)&options; /* must not be left dangling */
    oc_status status;
    snprintf(config, sizeof config, config_format, g_store);
    options = options_with(config);
    status = oc_open(&options, NULL, &plugin);
    CHECK_STATUS(status, want);
    if (status == OC_OK) {
        CHECK(plugin != NULL);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    } else {
        CHECK(plugin == NULL);
        CHECK(strlen(oc_last_error()) > 0);
        CHECK_EQ_INT(oc_last_status(), status);
    }
    return status;
}

static void defaults_create_ordercare_db_in_the_working_directory(void) {
    char cwd[1024];
    oc_plugin *plugin = NULL;
    setup();
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(g_dir) == 0);
    CHECK_STATUS(oc_open(NULL, NULL, &plugin), OC_OK);
    CHECK(plugin != NULL);
    CHECK(exists("ordercare.db"));
    if (plugin) {
        CHECK_EQ_INT(abi_event_count(plugin), 0);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    CHECK(chdir(cwd) == 0);
    teardown();
}

static void null_out_is_an_argument_error(void) {
    setup();
    CHECK_STATUS(oc_open(NULL, NULL, NULL), OC_ERR_ARGUMENT);
    CHECK_CONTAINS(oc_last_error(), "out");
    teardown();
}

static void options_smaller_than_v1_are_refused(void) {
    char config[700];
    oc_options options;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    options = options_with(config);
    options.struct_size = 4;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "oc_options.struct_size");
    options.struct_size = 0;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    options.struct_size = sizeof options - 1;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK(plugin == NULL);
    CHECK(!exists(g_store));
    teardown();
}

/* What a host built against a later minor version would pass. */
typedef struct newer_options {
    oc_options v1;
    uint64_t added_later;
    uint32_t added_later_too;
} newer_options;

static void newer_options_need_a_zero_tail(void) {
    char config[700];
    newer_options newer;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    memset(&newer, 0, sizeof newer);
    newer.v1 = options_with(config);
    newer.v1.struct_size = sizeof newer;
    newer.added_later_too = 1;
    CHECK_STATUS(oc_open(&newer.v1, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "tail");
    CHECK(plugin == NULL);
    CHECK(!exists(g_store));
    newer.added_later_too = 0;
    CHECK_STATUS(oc_open(&newer.v1, NULL, &plugin), OC_OK);
    CHECK(plugin != NULL);
    CHECK_STATUS(oc_close(plugin), OC_OK);
    teardown();
}

/* A struct_size is believed only up to 4096 bytes: a larger one (a garbage
   value, an uninitialised field) is refused before the plugin reads a byte
   past its own fields, even when the memory it names happens to be zero. */
static void a_struct_size_over_4096_is_refused(void) {
    char config[700];
    unsigned char *block = (unsigned char *)calloc(1, 8192);
    oc_options options;
    oc_host *host;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    CHECK(block != NULL);
    if (!block) return;
    options = options_with(config);
    memcpy(block, &options, sizeof options);
    ((oc_options *)(void *)block)->struct_size = 8192;
    CHECK_STATUS(oc_open((const oc_options *)(void *)block, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "oc_options.struct_size is 8192");
    CHECK_CONTAINS(oc_last_error(), "4096");
    CHECK(plugin == NULL);
    CHECK(!exists(g_store));
    ((oc_options *)(void *)block)->struct_size = 4097;
    CHECK_STATUS(oc_open((const oc_options *)(void *)block, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    /* The bound itself is accepted (the tail is zero). */
    ((oc_options *)(void *)block)->struct_size = 4096;
    CHECK_STATUS(oc_open((const oc_options *)(void *)block, NULL, &plugin), OC_OK);
    if (plugin) CHECK_STATUS(oc_close(plugin), OC_OK);
    plugin = NULL;
    /* A garbage size on a struct of the usual size is refused, not followed. */
    options.struct_size = 0xFFFFFFFFu;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "4294967295");
    /* The host's struct follows the same bound. */
    memset(block, 0, 8192);
    host = (oc_host *)(void *)block;
    host->struct_size = 8192;
    options.struct_size = sizeof options;
    CHECK_STATUS(oc_open(&options, host, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "oc_host.struct_size is 8192");
    CHECK(plugin == NULL);
    free(block);
    teardown();
}

typedef struct newer_host {
    oc_host v1;
    void (*added_later)(void);
} newer_host;

static void host_struct_follows_the_same_rule(void) {
    char config[700];
    oc_options options;
    oc_host host;
    newer_host newer;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    options = options_with(config);
    memset(&host, 0, sizeof host);
    host.struct_size = 8;
    CHECK_STATUS(oc_open(&options, &host, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK_CONTAINS(oc_last_error(), "oc_host");
    memset(&newer, 0, sizeof newer);
    newer.v1.struct_size = sizeof newer;
    newer.added_later = teardown;
    CHECK_STATUS(oc_open(&options, &newer.v1, &plugin), OC_ERR_STRUCT_SIZE);
    CHECK(plugin == NULL);
    newer.added_later = NULL;
    CHECK_STATUS(oc_open(&options, &newer.v1, &plugin), OC_OK);
    CHECK_STATUS(oc_close(plugin), OC_OK);
    host.struct_size = sizeof host;
    plugin = NULL;
    CHECK_STATUS(oc_open(&options, &host, &plugin), OC_OK);
    CHECK_STATUS(oc_close(plugin), OC_OK);
    teardown();
}

static int g_order_actions;
static int g_team_tasks;

static int32_t count_order_action(void *user_data, const oc_request *request, oc_reply *reply) {
    static const char label[] = "{\"label_url\": \"https://labels.example/x\"}";
    (void)user_data;
    (void)request;
    g_order_actions++;
    oc_reply_set(reply, label, sizeof label - 1);
    return OC_OUTCOME_DONE;
}

static int32_t count_notify(void *user_data, const oc_request *request, oc_reply *reply) {
    (void)user_data;
    (void)reply;
    if (strstr(request->json, "\"audience\":\"team\"") && strstr(request->json, "Reship")) g_team_tasks++;
    return OC_OUTCOME_DONE;
}

/* A wrong item on a one-line order: the playbook asks for a replacement
   and a return label. */
static void submit_wrong_item(oc_plugin *plugin, const char *order_id) {
    char event[1024];
    uint32_t ran = 0;
    int i;
    snprintf(event, sizeof event,
             "{\"id\": \"%s-o\", \"type\": \"order.created\", \"occurred_at\": \"2026-11-20T09:00:00Z\", "
             "\"source\": \"host\", \"data\": {\"order\": {\"id\": \"%s\", \"placed_at\": "
             "\"2026-11-20T09:00:00Z\", \"currency\": \"EUR\", \"total\": 2500, \"channel\": \"web\", "
             "\"customer\": {\"id\": \"c-%s\"}, \"items\": [{\"line_id\": \"1\", \"sku\": \"MUG\", "
             "\"quantity\": 1, \"unit_price\": 2500}]}}}",
             order_id, order_id, order_id);
    CHECK_STATUS(oc_submit(plugin, event, strlen(event), NULL), OC_OK);
    snprintf(event, sizeof event,
             "{\"id\": \"%s-m\", \"type\": \"customer.message\", \"occurred_at\": \"2026-11-20T10:00:00Z\", "
             "\"source\": \"host\", \"data\": {\"order_id\": \"%s\", \"customer\": {\"id\": \"c-%s\"}, "
             "\"channel\": \"email\", \"text\": \"I got the wrong item\"}}",
             order_id, order_id, order_id);
    CHECK_STATUS(oc_submit(plugin, event, strlen(event), NULL), OC_OK);
    for (i = 0; i < 10; i++) CHECK_STATUS(oc_poll(plugin, 64, &ran), OC_OK);
}

/* ABI 1.3 appended order_action to oc_host. A host built before it, whose
   struct_size ends where order_action begins, opens as before, and the
   plugin never reads past its struct: whatever lies there (here a
   callback) is never called, and the host's team gets the request as a
   task. The same host with the 1.3 size is asked through order_action. */
static void a_host_built_before_order_action_gets_team_tasks(void) {
    char config[700];
    char case_id[64];
    char args[256];
    uint32_t ran = 0;
    oc_options options;
    oc_host host;
    oc_plugin *plugin = NULL;
    oc_buffer *result = NULL;
    static const char reship[] = "{\"order_id\": \"OLD-1\", \"case_id\": \"none\", \"reason\": \"x\"}";
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    options = options_with(config);
    memset(&host, 0, sizeof host);
    host.notify = count_notify;
    host.order_action = count_order_action;
    host.struct_size = (uint32_t)offsetof(oc_host, order_action);
    g_order_actions = 0;
    CHECK_STATUS(oc_open(&options, &host, &plugin), OC_OK);
    if (plugin) {
        submit_wrong_item(plugin, "OLD-1");
        CHECK_EQ_INT(g_order_actions, 0);
        /* An unknown case is refused as for any host. */
        CHECK_STATUS(oc_call(plugin, "order.reship", reship, sizeof reship - 1, &result), OC_ERR_NOT_FOUND);
        CHECK(result == NULL);
        /* An agent's reship goes to the warehouse as a task. */
        CHECK_STATUS(oc_call(plugin, "cases.list", "{\"order_id\": \"OLD-1\"}", 21, &result), OC_OK);
        CHECK(abi_json_string(oc_buffer_data(result), "id", case_id, sizeof case_id) == 0);
        oc_buffer_free(result);
        result = NULL;
        snprintf(args, sizeof args, "{\"order_id\": \"OLD-1\", \"case_id\": \"%s\", \"reason\": \"wrong item\"}",
                 case_id);
        g_team_tasks = 0;
        CHECK_STATUS(oc_call(plugin, "order.reship", args, strlen(args), &result), OC_OK);
        CHECK_CONTAINS(oc_buffer_data(result), "\"team_task\"");
        oc_buffer_free(result);
        result = NULL;
        CHECK_STATUS(oc_poll(plugin, 64, &ran), OC_OK);
        CHECK_EQ_INT(g_team_tasks, 1);
        CHECK_EQ_INT(g_order_actions, 0);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    host.struct_size = sizeof host;
    plugin = NULL;
    CHECK_STATUS(oc_open(&options, &host, &plugin), OC_OK);
    if (plugin) {
        submit_wrong_item(plugin, "NEW-1");
        CHECK_EQ_INT(g_order_actions, 2);
        CHECK_STATUS(oc_call(plugin, "order.get", "{\"id\": \"NEW-1\"}", 15, &result), OC_OK);
        CHECK_CONTAINS(oc_buffer_data(result), "\"reship:NEW-1:1\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"return_label:NEW-1:1\"");
        oc_buffer_free(result);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    teardown();
}

static void null_config_with_a_length_is_an_argument_error(void) {
    oc_options options;
    oc_plugin *plugin = NULL;
    setup();
    options = options_with(NULL);
    options.config_len = 10;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_ARGUMENT);
    CHECK_CONTAINS(oc_last_error(), "config_json");
    CHECK(plugin == NULL);
    teardown();
}

static void unknown_flags_are_an_argument_error(void) {
    char config[700];
    oc_options options;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    options = options_with(config);
    options.flags = 1u << 7;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_ARGUMENT);
    CHECK_CONTAINS(oc_last_error(), "flags");
    CHECK(plugin == NULL);
    CHECK(!exists(g_store));
    options.flags = OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD;
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_OK);
    CHECK_STATUS(oc_close(plugin), OC_OK);
    teardown();
}

/* A config oc_open refuses: the store path goes where "%s" is, and the
   message must name what is wrong. None of them leaves a store behind. */
typedef struct refused_config {
    const char *config;
    oc_status status;
    const char *named; /* a part of oc_last_error() */
} refused_config;

static const refused_config k_refused_configs[] = {
    /* Malformed: where the JSON breaks. */
    {"{\"store\": {\"path\": \"%s\"", OC_ERR_CONFIG, "byte"},
    {"[1, 2]", OC_ERR_CONFIG, "config"},
    {"\"just a string\"", OC_ERR_CONFIG, "config"},
    {"{\"store\": {\"path\": \"%s\"}, \"note\": \"caf\xe9\"}", OC_ERR_UTF8, "byte"},
    /* Unknown fields, by their path. */
    {"{\"store\": {\"path\": \"%s\"}, \"stroe\": {}}", OC_ERR_CONFIG, "stroe"},
    {"{\"store\": {\"path\": \"%s\", \"pth\": \"x\"}}", OC_ERR_CONFIG, "store.pth"},
    {"{\"store\": {\"path\": \"%s\"}, \"limits\": {\"max_bytes\": 1}}", OC_ERR_CONFIG, "limits.max_bytes"},
    /* Wrongly typed or out of range, by their path. */
    {"{\"store\": {\"path\": 42}}", OC_ERR_CONFIG, "store.path"},
    {"{\"store\": {\"path\": \"%s\", \"durability\": \"sometimes\"}}", OC_ERR_CONFIG, "store.durability"},
    {"{\"store\": {\"path\": \"%s\", \"engine\": \"oracle\"}}", OC_ERR_CONFIG, "store.engine"},
    {"{\"store\": {\"path\": \"%s\", \"busy_timeout\": \"soon\"}}", OC_ERR_CONFIG, "store.busy_timeout"},
    {"{\"store\": {\"path\": \"%s\"}, \"limits\": {\"max_event_bytes\": \"1k\"}}", OC_ERR_CONFIG,
     "limits.max_event_bytes"},
    {"{\"store\": {\"path\": \"%s\"}, \"limits\": {\"max_event_bytes\": 10}}", OC_ERR_CONFIG,
     "limits.max_event_bytes"},
    {"{\"store\": \"%s\"}", OC_ERR_CONFIG, "store"},
    {"{\"store\": {\"path\": \"\"}}", OC_ERR_CONFIG, "store.path"},
};

static void refused_configs_say_why_and_create_nothing(void) {
    size_t i;
    setup();
    for (i = 0; i < sizeof k_refused_configs / sizeof k_refused_configs[0]; ++i) {
        const refused_config *c = &k_refused_configs[i];
        open_expect(c->config, c->status);
        CHECK_CONTAINS(oc_last_error(), c->named);
        CHECK(!exists(g_store));
    }
    teardown();
}

static void valid_config_fields_are_accepted(void) {
    setup();
    open_expect("{\"store\": {\"path\": \"%s\", \"engine\": \"sqlite\", \"durability\": \"normal\", "
                "\"busy_timeout\": \"2s\"}, \"limits\": {\"max_event_bytes\": 4096, "
                "\"max_args_bytes\": 2048}}",
                OC_OK);
    CHECK(exists(g_store));
    teardown();
}

static void a_store_under_a_regular_file_is_a_store_error(void) {
    char config[1400];
    char file[600];
    FILE *f;
    oc_options options;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(file, sizeof file, "%s/plain-file", g_dir);
    f = fopen(file, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s/ordercare.db\"}}", file);
    options = options_with(config);
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STORE);
    CHECK_CONTAINS(oc_last_error(), "plain-file");
    CHECK(plugin == NULL);
    teardown();
}

static void a_directory_as_store_is_a_store_error(void) {
    char config[1400];
    oc_options options;
    oc_plugin *plugin = NULL;
    setup();
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_dir);
    options = options_with(config);
    CHECK_STATUS(oc_open(&options, NULL, &plugin), OC_ERR_STORE);
    CHECK(plugin == NULL);
    teardown();
}

/* Several handles (in a host: several processes) share one store: what
   one writes the others read, and an event given to two of them is stored
   once. */
static void a_store_opened_twice_is_shared(void) {
    oc_plugin *first, *second = NULL;
    char config[700], status[32];
    oc_options options;
    setup();
    first = abi_open_store(g_store, NULL);
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", g_store);
    options = options_with(config);
    CHECK_STATUS(oc_open(&options, NULL, &second), OC_OK);
    if (first && second) {
        CHECK_STATUS(abi_submit_id(first, "from-first", status, sizeof status), OC_OK);
        CHECK_STATUS(abi_submit_id(second, "from-second", status, sizeof status), OC_OK);
        CHECK_STATUS(abi_submit_id(second, "from-first", status, sizeof status), OC_OK);
        CHECK(strcmp(status, "duplicate") == 0);
        CHECK_EQ_INT(abi_event_count(first), 2);
        CHECK_EQ_INT(abi_event_count(second), 2);
    }
    if (first) CHECK_STATUS(oc_close(first), OC_OK);
    if (second) {
        CHECK_STATUS(abi_submit_id(second, "after-first-closed", NULL, 0), OC_OK);
        CHECK_STATUS(oc_close(second), OC_OK);
    }
    teardown();
}

/* A store has one name: a symbolic link is followed to the file it names
   (so both names share one write-ahead log), and a hard link, which would
   give one database two logs, is refused with the reason. */
static void a_store_is_opened_by_one_name(void) {
    oc_plugin *plugin, *linked = NULL;
    char config[1400], link_path[700];
    oc_options options;
    setup();
    plugin = abi_open_store(g_store, NULL);
    if (plugin) {
        CHECK_STATUS(abi_submit_id(plugin, "before-links", NULL, 0), OC_OK);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    snprintf(link_path, sizeof link_path, "%s/symlinked.db", g_dir);
    CHECK(symlink(g_store, link_path) == 0);
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", link_path);
    options = options_with(config);
    CHECK_STATUS(oc_open(&options, NULL, &linked), OC_OK);
    if (linked) {
        char wal[720];
        CHECK_EQ_INT(abi_event_count(linked), 1);
        CHECK_STATUS(abi_submit_id(linked, "through-the-symlink", NULL, 0), OC_OK);
        /* The log is the real file's, not the link's. */
        snprintf(wal, sizeof wal, "%s-wal", g_store);
        CHECK(exists(wal));
        snprintf(wal, sizeof wal, "%s-wal", link_path);
        CHECK(!exists(wal));
        CHECK_STATUS(oc_close(linked), OC_OK);
    }
    snprintf(link_path, sizeof link_path, "%s/hardlinked.db", g_dir);
    CHECK(link(g_store, link_path) == 0);
    linked = NULL;
    CHECK_STATUS(oc_open(&options, NULL, &linked), OC_ERR_STORE);
    CHECK(linked == NULL);
    CHECK_CONTAINS(oc_last_error(), "hard links");
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", link_path);
    options = options_with(config);
    CHECK_STATUS(oc_open(&options, NULL, &linked), OC_ERR_STORE);
    CHECK(linked == NULL);
    CHECK_CONTAINS(oc_last_error(), "2 hard links");
    teardown();
}

static void events_survive_close_and_reopen(void) {
    oc_plugin *plugin;
    char status[32];
    setup();
    plugin = abi_open_store(g_store, NULL);
    if (plugin) {
        CHECK_STATUS(abi_submit_id(plugin, "kept-1", status, sizeof status), OC_OK);
        CHECK_STATUS(abi_submit_id(plugin, "kept-2", status, sizeof status), OC_OK);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    plugin = abi_open_store(g_store, NULL);
    if (plugin) {
        CHECK_EQ_INT(abi_event_count(plugin), 2);
        CHECK_STATUS(abi_submit_id(plugin, "kept-1", status, sizeof status), OC_OK);
        CHECK(strcmp(status, "duplicate") == 0);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    teardown();
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"defaults_create_ordercare_db_in_the_working_directory",
         defaults_create_ordercare_db_in_the_working_directory},
        {"null_out_is_an_argument_error", null_out_is_an_argument_error},
        {"options_smaller_than_v1_are_refused", options_smaller_than_v1_are_refused},
        {"newer_options_need_a_zero_tail", newer_options_need_a_zero_tail},
        {"host_struct_follows_the_same_rule", host_struct_follows_the_same_rule},
        {"a_struct_size_over_4096_is_refused", a_struct_size_over_4096_is_refused},
        {"a_host_built_before_order_action_gets_team_tasks", a_host_built_before_order_action_gets_team_tasks},
        {"null_config_with_a_length_is_an_argument_error",
         null_config_with_a_length_is_an_argument_error},
        {"unknown_flags_are_an_argument_error", unknown_flags_are_an_argument_error},
        {"refused_configs_say_why_and_create_nothing", refused_configs_say_why_and_create_nothing},
        {"valid_config_fields_are_accepted", valid_config_fields_are_accepted},
        {"a_store_under_a_regular_file_is_a_store_error",
         a_store_under_a_regular_file_is_a_store_error},
        {"a_directory_as_store_is_a_store_error", a_directory_as_store_is_a_store_error},
        {"a_store_opened_twice_is_shared", a_store_opened_twice_is_shared},
        {"a_store_is_opened_by_one_name", a_store_is_opened_by_one_name},
        {"events_survive_close_and_reopen", events_survive_close_and_reopen},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
