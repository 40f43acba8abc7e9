#include "agent_actions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_quote.h"
#include "json_scan.h"
#include "rfc3339.h"

/* A command answered OC_ERR_BUSY changed nothing: try again after a pause. */
enum { BUSY_RETRIES = 20, BUSY_PAUSE_MS = 50 };

void agent_actions_init(agent_actions *actions)
{
    memset(actions, 0, sizeof *actions);
}

void agent_actions_free(agent_actions *actions)
{
    size_t i;
    for (i = 0; i < actions->count; i++) {
        free(actions->items[i].line);
    }
    free(actions->items);
    agent_actions_init(actions);
}

static int by_time(const void *a, const void *b)
{
    const agent_action *x = a;
    const agent_action *y = b;
    if (x->at_ms != y->at_ms) {
        return x->at_ms < y->at_ms ? -1 : 1;
    }
    return x->line_no < y->line_no ? -1 : (x->line_no > y->line_no ? 1 : 0);
}

/* What is wrong with the line as an action, or NULL; *at_ms on success. */
static const char *check_line(json_span line, int64_t *at_ms)
{
    json_span value;
    if (!json_is_object(line)) {
        return "not a JSON object";
    }
    if (!json_find(line, "at", &value) || !json_is_string(value) ||
        !rfc3339_parse(value.ptr + 1, value.len - 2, at_ms)) {
        return "\"at\" must be an RFC 3339 time with an offset";
    }
    if (!json_find(line, "method", &value) || !json_is_string(value) || value.len <= 2) {
        return "\"method\" must be a method name";
    }
    if (json_find(line, "params", &value) && !json_is_object(value)) {
        return "\"params\" must be an object";
    }
    if (json_find(line, "case", &value) && !json_is_object(value)) {
        return "\"case\" must be an object of cases.list filters";
    }
    if ((json_find(line, "id", &value) && !json_is_string(value)) ||
        (json_find(line, "by", &value) && !json_is_string(value))) {
        return "\"id\" and \"by\" must be strings";
    }
    return NULL;
}

static int add_action(agent_actions *actions, size_t *capacity, unsigned long line_no,
                      const char *line, size_t len, int64_t at_ms)
{
    agent_action *item;
    if (actions->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 64;
        agent_action *items = realloc(actions->items, grown * sizeof *items);
        if (items == NULL) {
            return -1;
        }
        actions->items = items;
        *capacity = grown;
    }
    item = &actions->items[actions->count];
    item->line = malloc(len + 1);
    if (item->line == NULL) {
        return -1;
    }
    memcpy(item->line, line, len);
    item->line[len] = '\0';
    item->len = len;
    item->line_no = line_no;
    item->at_ms = at_ms;
    actions->count++;
    return 0;
}

int agent_actions_load(agent_actions *actions, const char *path, char *error, size_t error_size)
{
    FILE *file = fopen(path, "rb");
    char *line = NULL;
    size_t line_capacity = 0;
    size_t capacity = 0;
    unsigned long line_no = 0;
    ssize_t got;
    int rc = 0;
    if (file == NULL) {
        snprintf(error, error_size, "--agents: %s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (got = getline(&line, &line_capacity, file)) >= 0) {
        size_t len = (size_t)got;
        size_t start = 0;
        int64_t at_ms = 0;
        const char *problem;
        line_no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                           line[len - 1] == ' ' || line[len - 1] == '\t')) {
            len--;
        }
        while (start < len && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        if (start == len) {
            continue;
        }
        problem = check_line(json_span_of(line + start, len - start), &at_ms);
        if (problem != NULL) {
            snprintf(error, error_size, "--agents: %s line %lu: %s", path, line_no, problem);
            rc = -1;
        } else if (add_action(actions, &capacity, line_no, line + start, len - start, at_ms) != 0) {
            snprintf(error, error_size, "--agents: %s: out of memory", path);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(file)) {
        snprintf(error, error_size, "--agents: %s: read error", path);
        rc = -1;
    }
    free(line);
    fclose(file);
    if (rc != 0) {
        agent_actions_free(actions);
        return -1;
    }
    if (actions->count > 1) {
        qsort(actions->items, actions->count, sizeof *actions->items, by_time);
    }
    return 0;
}

int agent_actions_due_before(const agent_actions *actions, int64_t ms)
{
    return actions->next < actions->count && actions->items[actions->next].at_ms < ms;
}

int agent_actions_pending(const agent_actions *actions, int64_t *ms)
{
    if (actions->next >= actions->count) {
        return 0;
    }
    *ms = actions->items[actions->next].at_ms;
    return 1;
}

/* A new JSON object: `members` (a comma-separated list of members, or "")
   followed by the members of `object` (a span starting with '{'). */
static char *splice_object(const char *members, json_span object)
{
    size_t head = strlen(members);
    size_t inner = 1;
    size_t rest_len;
    char *out;
    while (inner < object.len && (object.ptr[inner] == ' ' || object.ptr[inner] == '\t')) {
        inner++;
    }
    rest_len = object.len - inner; /* The members and the closing brace. */
    out = malloc(head + rest_len + 3);
    if (out == NULL) {
        return NULL;
    }
    out[0] = '{';
    memcpy(out + 1, members, head);
    if (head > 0 && object.ptr[inner] != '}') {
        out[1 + head] = ',';
        head++;
    }
    memcpy(out + 1 + head, object.ptr + inner, rest_len);
    out[1 + head + rest_len] = '\0';
    return out;
}

static void sleep_ms(long ms)
{
    struct timespec wait;
    wait.tv_sec = ms / 1000;
    wait.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
    }
}

static oc_status call_method(const oc_api *api, oc_plugin *plugin, const char *method,
                             const char *args, oc_buffer **result)
{
    oc_status status = OC_ERR_BUSY;
    int attempt;
    for (attempt = 0; attempt <= BUSY_RETRIES && status == OC_ERR_BUSY; attempt++) {
        if (attempt > 0) {
            api->buffer_free(*result);
            sleep_ms(BUSY_PAUSE_MS);
        }
        *result = NULL;
        status = api->call(plugin, method, args, strlen(args), result);
    }
    return status;
}

/* The plugin said no to the action itself: the day goes on. */
static int is_refusal(oc_status status)
{
    return status == OC_ERR_NOT_FOUND || status == OC_ERR_REFUSED ||
           status == OC_ERR_TRANSITION || status == OC_ERR_SCHEMA;
}

/* Prints "refused:" or "failed:" for a call that did not succeed; 0 or -1. */
static int report_failure(agent_actions *actions, const oc_api *api, unsigned long line_no,
                          oc_status status)
{
    int refused = is_refusal(status);
    printf("action %lu: %s: %s: %s\n", line_no, refused ? "refused" : "failed",
           api->status_name(status), api->last_error());
    if (refused) {
        actions->refused++;
        return 0;
    }
    return -1;
}

/* The id of the first case cases.list gives for the selector: 1 and a new
   string in *case_id, 0 when none matches, -1 when the call failed (its
   status in *status). */
static int find_case(const oc_api *api, oc_plugin *plugin, json_span selector, char **case_id,
                     oc_status *status)
{
    char *args = splice_object("\"limit\":1", selector);
    oc_buffer *result = NULL;
    json_span cases;
    json_span first;
    size_t pos = 0;
    int found = 0;
    *case_id = NULL;
    if (args == NULL) {
        *status = OC_ERR_NOMEM;
        return -1;
    }
    *status = call_method(api, plugin, "cases.list", args, &result);
    free(args);
    if (*status != OC_OK) {
        api->buffer_free(result);
        return -1;
    }
    if (json_find(json_span_of(api->buffer_data(result), api->buffer_size(result)), "cases",
                  &cases) &&
        json_array_next(cases, &pos, &first)) {
        *case_id = json_find_string(first, "id");
        found = *case_id != NULL;
    }
    api->buffer_free(result);
    return found;
}

/* "<field>":"<case id>","request_id":"<id>" as far as they are known. */
static char *leading_members(const char *method, const char *case_id, const char *request_id)
{
    char *quoted_case = case_id != NULL ? json_quote(case_id) : NULL;
    char *quoted_request = request_id != NULL ? json_quote(request_id) : NULL;
    size_t size = 64 + (quoted_case ? strlen(quoted_case) : 0) +
                  (quoted_request ? strlen(quoted_request) : 0);
    char *out = malloc(size);
    int used = 0;
    if (out == NULL || (case_id != NULL && quoted_case == NULL) ||
        (request_id != NULL && quoted_request == NULL)) {
        free(out);
        free(quoted_case);
        free(quoted_request);
        return NULL;
    }
    out[0] = '\0';
    if (quoted_case != NULL) {
        used = snprintf(out, size, "\"%s\":%s", strncmp(method, "case.", 5) == 0 ? "id" : "case_id",
                        quoted_case);
    }
    if (quoted_request != NULL) {
        snprintf(out + used, size - (size_t)used, "%s\"request_id\":%s", used > 0 ? "," : "",
                 quoted_request);
    }
    free(quoted_case);
    free(quoted_request);
    return out;
}

int agent_actions_run_next(agent_actions *actions, const oc_api *api, oc_plugin *plugin)
{
    const agent_action *action = &actions->items[actions->next++];
    json_span line = json_span_of(action->line, action->len);
    json_span selector;
    json_span params;
    char *method = json_find_string(line, "method");
    char *request_id = json_find_string(line, "id");
    char *by = json_find_string(line, "by");
    char *case_id = NULL;
    char *members = NULL;
    char *args = NULL;
    oc_buffer *result = NULL;
    oc_status status = OC_OK;
    int rc = 0;
    if (method == NULL) {
        printf("action %lu: failed: OC_ERR_NOMEM: out of memory\n", action->line_no);
        rc = -1;
        goto done;
    }
    if (json_find(line, "case", &selector)) {
        int found = find_case(api, plugin, selector, &case_id, &status);
        if (found < 0) {
            rc = report_failure(actions, api, action->line_no, status);
            goto done;
        }
        if (found == 0) {
            printf("action %lu: refused: OC_ERR_NOT_FOUND: no case matches %.*s\n", action->line_no,
                   (int)selector.len, selector.ptr);
            actions->refused++;
            goto done;
        }
    }
    if (!json_find(line, "params", &params)) {
        params = json_span_of("{}", 2);
    }
    members = leading_members(method, case_id, request_id);
    args = members != NULL ? splice_object(members, params) : NULL;
    if (args == NULL) {
        printf("action %lu: failed: OC_ERR_NOMEM: out of memory\n", action->line_no);
        rc = -1;
        goto done;
    }
    status = call_method(api, plugin, method, args, &result);
    if (status != OC_OK) {
        rc = report_failure(actions, api, action->line_no, status);
        goto done;
    }
    actions->done++;
    printf("action %lu: done %s%s%s%s%s\n", action->line_no, method, case_id ? " " : "",
           case_id ? case_id : "", by ? " by " : "", by ? by : "");
done:
    api->buffer_free(result);
    free(args);
    free(members);
    free(case_id);
    free(by);
    free(request_id);
    free(method);
    return rc;
}
