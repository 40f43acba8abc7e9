#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json_scan.h"
#include "rfc3339.h"

/* A poll round runs at most this many callbacks (the header's example). */
enum { POLL_BATCH = 64 };
/* Far more rounds than any sane backlog, so a plugin that always reports
   work cannot hang the host forever. */
enum { POLL_ROUNDS_MAX = 100000 };
/* oc_submit_batch answered OC_ERR_BUSY: nothing was written, so try again. */
enum { BUSY_RETRIES = 20, BUSY_PAUSE_MS = 50 };

static void print_failure(const host_app *app, const char *what, oc_status status)
{
    fprintf(stderr, "%s: %s: %s\n", what, app->api.status_name(status), app->api.last_error());
}

/* Runs oc_poll until a round runs nothing. 0, or -1 after printing why. */
static int poll_until_idle(host_app *app, uint32_t *total)
{
    uint32_t rounds;
    for (rounds = 0; rounds < POLL_ROUNDS_MAX; rounds++) {
        uint32_t ran = 0;
        oc_status status = app->api.poll(app->plugin, POLL_BATCH, &ran);
        if (status != OC_OK) {
            print_failure(app, "poll: failed", status);
            return -1;
        }
        *total += ran;
        if (ran == 0) {
            return 0;
        }
    }
    fprintf(stderr, "[host] poll: still busy after %d rounds; stopping here\n", POLL_ROUNDS_MAX);
    return 0;
}

static void print_callback_counts(const host_app *app)
{
    const callback_counts *c = &app->ctx.counts;
    printf("callbacks: refund %lu, adjust_inventory %lu, notify %lu, lookup_order %lu, order_action %lu\n",
           (unsigned long)c->refund, (unsigned long)c->adjust_inventory,
           (unsigned long)c->notify, (unsigned long)c->lookup_order, (unsigned long)c->order_action);
}

/* Rejections of the line itself: expected data, the replay goes on. Any
   other failure is the plugin's or the store's and stops the replay. */
static int is_input_rejection(oc_status status)
{
    return status == OC_ERR_UTF8 || status == OC_ERR_JSON || status == OC_ERR_TOO_LARGE ||
           status == OC_ERR_UNKNOWN_TYPE || status == OC_ERR_SCHEMA;
}

static void sleep_ms(long ms)
{
    struct timespec wait;
    wait.tv_sec = ms / 1000;
    wait.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
    }
}

/* Lines per oc_submit_batch, and their bytes at most: enough to fill the
   writer's group commit, well inside the plugin's default batch limits
   (limits.max_batch_events, limits.max_batch_bytes). A batch a config's
   lower limits refuse is sent again in halves. */
enum { BATCH_LINES = 256, BATCH_BYTES = 4 << 20 };

/* The lines read but not yet submitted, copied out of getline's buffer. */
typedef struct replay_batch {
    char *lines[BATCH_LINES];
    size_t lens[BATCH_LINES];
    unsigned long line_nos[BATCH_LINES];
    size_t count;
    size_t bytes;
} replay_batch;

typedef struct replay_tally {
    unsigned long lines;
    unsigned long accepted;
    unsigned long duplicate;
    unsigned long rejected;
} replay_tally;

/* oc_submit_batch, again after a pause while the whole call answers
   OC_ERR_BUSY (nothing was written). */
static oc_status submit_batch(host_app *app, const char *const *events, const size_t *lens,
                              size_t count, oc_buffer **result)
{
    oc_status status = OC_ERR_BUSY;
    int attempt;
    for (attempt = 0; attempt <= BUSY_RETRIES && status == OC_ERR_BUSY; attempt++) {
        if (attempt > 0) {
            sleep_ms(BUSY_PAUSE_MS);
        }
        *result = NULL;
        status = app->api.submit_batch(app->plugin, events, lens, count, result);
    }
    return status;
}

/* The status this library names `name`; -1 for a name it does not know. */
static int status_named(const host_app *app, const char *name)
{
    int status;
    for (status = OC_OK; status <= OC_ERR_THREAD; status++) {
        if (strcmp(app->api.status_name((oc_status)status), name) == 0) {
            return status;
        }
    }
    return -1;
}

static int answer_is_busy(const host_app *app, json_span answer)
{
    char *code = json_find_string(answer, "code");
    int busy = code != NULL && status_named(app, code) == OC_ERR_BUSY;
    free(code);
    return busy;
}

/* Prints one line's answer from the batch result: "accepted|duplicate
   <id>", "rejected: <status>: <message>" (0: the replay goes on) or
   "failed: <status>: <message>" (-1: it stops). */
static int report_answer(const host_app *app, unsigned long line_no, json_span answer,
                         replay_tally *tally)
{
    char *status = json_find_string(answer, "status");
    int rc = 0;
    if (status != NULL && strcmp(status, "error") == 0) {
        char *code = json_find_string(answer, "code");
        char *message = json_find_string(answer, "message");
        int known = code != NULL ? status_named(app, code) : -1;
        if (known >= 0 && is_input_rejection((oc_status)known)) {
            tally->rejected++;
            printf("line %lu: rejected: %s: %s\n", line_no, code, message != NULL ? message : "");
        } else {
            printf("line %lu: failed: %s: %s\n", line_no, code != NULL ? code : "OC_ERR_UNKNOWN",
                   message != NULL ? message : "");
            rc = -1;
        }
        free(code);
        free(message);
    } else {
        char *event_id = json_find_string(answer, "event_id");
        const char *word = status != NULL ? status : "accepted";
        if (strcmp(word, "duplicate") == 0) {
            tally->duplicate++;
        } else {
            tally->accepted++;
        }
        printf("line %lu: %s %s\n", line_no, word, event_id != NULL ? event_id : "-");
        free(event_id);
    }
    free(status);
    return rc;
}

/* Submits lines [from, from + count) of the batch in one call and prints
   each line's answer, in order. 0, or -1 when a line or the call failed:
   the replay stops (the lines of this call were all answered first). */
static int submit_lines(host_app *app, const replay_batch *batch, size_t from, size_t count,
                        replay_tally *tally)
{
    const char *events[BATCH_LINES];
    oc_buffer *result = NULL;
    json_span answers;
    json_span answer;
    size_t pos = 0;
    size_t i;
    oc_status status;
    int rc = 0;
    for (i = 0; i < count; i++) {
        events[i] = batch->lines[from + i];
    }
    status = submit_batch(app, events, batch->lens + from, count, &result);
    if (status == OC_ERR_TOO_LARGE && count > 1) {
        app->api.buffer_free(result);
        rc = submit_lines(app, batch, from, count / 2, tally);
        return rc != 0 ? rc : submit_lines(app, batch, from + count / 2, count - count / 2, tally);
    }
    if (status != OC_OK) {
        /* A line alone over limits.max_batch_bytes is the line's fault. */
        int rejected = count == 1 && status == OC_ERR_TOO_LARGE;
        tally->rejected += rejected ? 1 : 0;
        printf("line %lu: %s: %s: %s\n", batch->line_nos[from], rejected ? "rejected" : "failed",
               app->api.status_name(status), app->api.last_error());
        app->api.buffer_free(result);
        return rejected ? 0 : -1;
    }
    answers = json_span_of(app->api.buffer_data(result), app->api.buffer_size(result));
    for (i = 0; i < count; i++) {
        if (!json_array_next(answers, &pos, &answer)) {
            printf("line %lu: failed: OC_ERR_INTERNAL: the plugin's result has no answer for it\n",
                   batch->line_nos[from + i]);
            rc = -1;
        } else if (answer_is_busy(app, answer)) {
            /* Its transaction met a lock its neighbours' did not: alone,
               it is retried while the whole call is busy. */
            rc |= submit_lines(app, batch, from + i, 1, tally);
        } else {
            rc |= report_answer(app, batch->line_nos[from + i], answer, tally);
        }
    }
    app->api.buffer_free(result);
    return rc;
}

static void batch_clear(replay_batch *batch)
{
    size_t i;
    for (i = 0; i < batch->count; i++) {
        free(batch->lines[i]);
    }
    batch->count = 0;
    batch->bytes = 0;
}

/* Submits the batch, then polls as the host's event loop would. 0 to go
   on, -1 to stop the replay. */
static int flush_batch(host_app *app, replay_batch *batch, replay_tally *tally,
                       uint32_t *callbacks)
{
    int rc = batch->count > 0 ? submit_lines(app, batch, 0, batch->count, tally) : 0;
    batch_clear(batch);
    return rc != 0 ? -1 : poll_until_idle(app, callbacks);
}

/* The line's occurred_at, if it has a readable one: 1 and *ms, else 0. */
static int line_time(const char *line, size_t len, int64_t *ms)
{
    json_span value;
    return json_find(json_span_of(line, len), "occurred_at", &value) && json_is_string(value) &&
           rfc3339_parse(value.ptr + 1, value.len - 2, ms);
}

/* The event's occurred_at when the virtual clock is on and the line has
   one: 1 and *ms, else 0. */
static int event_time(const host_app *app, const char *line, size_t len, int64_t *ms)
{
    return app->ctx.clock->enabled && line_time(line, len, ms);
}

/* Runs the agents' actions due before `until` (all that are left when
   `all`), each at its own time on the virtual clock and followed by the
   callbacks it caused, as the events are. 0, or -1 to stop the replay. */
static int run_actions(host_app *app, agent_actions *actions, int64_t until, int all,
                       uint32_t *callbacks)
{
    int64_t at;
    while (agent_actions_pending(actions, &at) && (all || at < until)) {
        virtual_clock_follow(app->ctx.clock, at);
        if (agent_actions_run_next(actions, &app->api, app->plugin) != 0 ||
            poll_until_idle(app, callbacks) != 0) {
            return -1;
        }
    }
    return 0;
}

/* What the host carried out for customers during the run, by name. */
static void print_sent(const host_app *app)
{
    fputs("delivered to customers: ", stdout);
    sent_tally_print(&app->ctx.customer_messages, stdout);
    fputs("\norder actions carried out: ", stdout);
    sent_tally_print(&app->ctx.order_actions, stdout);
    fputc('\n', stdout);
}

/* Whether the line must start a new batch: the batch is full, or the
   virtual clock is on. That clock replays a past day as it happened: each
   event at its own time, with the SLA timers and callbacks that fell due
   before it already done, and those run between calls (the plugin reads
   the clock once per call). So on it each call holds one line, and the
   output is what submitting line by line gives. */
static int starts_new_batch(const host_app *app, const replay_batch *batch, size_t len)
{
    if (batch->count == 0) {
        return 0;
    }
    return app->ctx.clock->enabled || batch->count == BATCH_LINES ||
           batch->bytes + len > BATCH_BYTES;
}

static int batch_add(replay_batch *batch, unsigned long line_no, const char *line, size_t len)
{
    char *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, line, len);
    batch->lines[batch->count] = copy;
    batch->lens[batch->count] = len;
    batch->line_nos[batch->count] = line_no;
    batch->count++;
    batch->bytes += len;
    return 0;
}

static int is_blank(const char *line, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

int command_replay(host_app *app, const char *path, agent_actions *actions)
{
    FILE *file = fopen(path, "rb");
    replay_tally tally = {0, 0, 0, 0};
    replay_batch *batch = calloc(1, sizeof *batch);
    unsigned long line_no = 0;
    uint32_t callbacks = 0;
    char *line = NULL;
    size_t capacity = 0;
    ssize_t got;
    int64_t ms;
    int rc = HOST_EXIT_OK;
    if (file == NULL || batch == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        if (file != NULL) {
            fclose(file);
        }
        free(batch);
        return HOST_EXIT_FAILED;
    }
    while (rc == HOST_EXIT_OK && (got = getline(&line, &capacity, file)) >= 0) {
        size_t len = (size_t)got;
        line_no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (is_blank(line, len)) {
            continue;
        }
        tally.lines++;
        if (line_time(line, len, &ms) && agent_actions_due_before(actions, ms) &&
            (flush_batch(app, batch, &tally, &callbacks) != 0 ||
             run_actions(app, actions, ms, 0, &callbacks) != 0)) {
            rc = HOST_EXIT_FAILED;
            break;
        }
        if (starts_new_batch(app, batch, len) &&
            flush_batch(app, batch, &tally, &callbacks) != 0) {
            rc = HOST_EXIT_FAILED;
            break;
        }
        if (event_time(app, line, len, &ms)) {
            virtual_clock_follow(app->ctx.clock, ms);
        }
        if (batch_add(batch, line_no, line, len) != 0) {
            fprintf(stderr, "replay: out of memory\n");
            rc = HOST_EXIT_FAILED;
        }
    }
    if (rc == HOST_EXIT_OK && ferror(file)) {
        fprintf(stderr, "replay: %s: read error\n", path);
        rc = HOST_EXIT_FAILED;
    }
    if (rc == HOST_EXIT_OK && (flush_batch(app, batch, &tally, &callbacks) != 0 ||
                               run_actions(app, actions, 0, 1, &callbacks) != 0)) {
        rc = HOST_EXIT_FAILED;
    }
    batch_clear(batch);
    free(batch);
    free(line);
    fclose(file);
    printf("accepted %lu, duplicate %lu, rejected %lu of %lu lines\n", tally.accepted,
           tally.duplicate, tally.rejected, tally.lines);
    if (actions->count > 0) {
        printf("actions: done %lu, refused %lu of %lu\n", actions->done, actions->refused,
               (unsigned long)actions->count);
    }
    print_callback_counts(app);
    print_sent(app);
    return rc;
}

int command_query(host_app *app, const char *method, const char *args_json)
{
    oc_buffer *result = NULL;
    size_t len = args_json != NULL ? strlen(args_json) : 0;
    oc_status status = app->api.call(app->plugin, method, args_json, len, &result);
    if (status != OC_OK) {
        app->api.buffer_free(result);
        print_failure(app, "query: failed", status);
        return HOST_EXIT_FAILED;
    }
    fwrite(app->api.buffer_data(result), 1, app->api.buffer_size(result), stdout);
    fputc('\n', stdout);
    app->api.buffer_free(result);
    return HOST_EXIT_OK;
}

int command_report(host_app *app, const char *method, const char *args_json)
{
    oc_buffer *result = NULL;
    size_t len = args_json != NULL ? strlen(args_json) : 0;
    oc_status status = app->api.call(app->plugin, method, args_json, len, &result);
    json_span content;
    char *text;
    int rc = HOST_EXIT_OK;
    if (status != OC_OK) {
        app->api.buffer_free(result);
        print_failure(app, "report: failed", status);
        return HOST_EXIT_FAILED;
    }
    if (!json_find(json_span_of(app->api.buffer_data(result), app->api.buffer_size(result)), "content",
                   &content)) {
        fprintf(stderr, "report: %s answered without a \"content\" member\n", method);
        rc = HOST_EXIT_FAILED;
    } else if (!json_is_string(content)) {
        /* {"format": "json", "content": {...}}: the JSON as it came. */
        fwrite(content.ptr, 1, content.len, stdout);
        fputc('\n', stdout);
    } else if ((text = json_string_dup(content)) == NULL) {
        fprintf(stderr, "report: %s: the content is not a printable string\n", method);
        rc = HOST_EXIT_FAILED;
    } else {
        fputs(text, stdout);
        if (text[0] == '\0' || text[strlen(text) - 1] != '\n') {
            fputc('\n', stdout);
        }
        free(text);
    }
    app->api.buffer_free(result);
    return rc;
}

int command_poll(host_app *app)
{
    uint32_t total = 0;
    if (poll_until_idle(app, &total) != 0) {
        return HOST_EXIT_FAILED;
    }
    printf("poll: ran %lu callbacks\n", (unsigned long)total);
    print_callback_counts(app);
    return HOST_EXIT_OK;
}

/* The signal handler only writes a byte to this pipe (async-signal-safe);
   the serve loop sees it readable beside the plugin's wakeup fd. */
static int stop_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop_signal = 0;

static void on_stop_signal(int signo)
{
    int saved = errno;
    char byte = 1;
    stop_signal = signo;
    if (write(stop_pipe[1], &byte, 1) < 0) {
        /* The pipe is full, so the loop is already waking up. */
    }
    errno = saved;
}

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static int install_stop_handlers(void)
{
    struct sigaction action;
    if (pipe(stop_pipe) != 0 || set_nonblocking(stop_pipe[0]) != 0 ||
        set_nonblocking(stop_pipe[1]) != 0) {
        return -1;
    }
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESTART;
    if (sigemptyset(&action.sa_mask) != 0 || sigaction(SIGINT, &action, NULL) != 0 ||
        sigaction(SIGTERM, &action, NULL) != 0) {
        return -1;
    }
    return 0;
}

static void remove_stop_handlers(void)
{
    int i;
    if (signal(SIGINT, SIG_DFL) == SIG_ERR || signal(SIGTERM, SIG_DFL) == SIG_ERR) {
        fprintf(stderr, "[host] serve: cannot restore signal handlers\n");
    }
    for (i = 0; i < 2; i++) {
        if (stop_pipe[i] >= 0 && close(stop_pipe[i]) != 0) {
            fprintf(stderr, "[host] serve: close: %s\n", strerror(errno));
        }
        stop_pipe[i] = -1;
    }
}

/* Waits for the wakeup fd, a stop signal or a second's timeout (due SLA
   timers need a poll even when nothing woke the fd). 1 to stop, 0 to poll,
   -1 on error. */
static int wait_for_work(int wakeup_fd)
{
    struct pollfd fds[2];
    fds[0].fd = wakeup_fd;
    fds[0].events = POLLIN;
    fds[1].fd = stop_pipe[0];
    fds[1].events = POLLIN;
    fds[0].revents = fds[1].revents = 0;
    if (poll(fds, 2, 1000) < 0 && errno != EINTR) {
        fprintf(stderr, "serve: poll(2): %s\n", strerror(errno));
        return -1;
    }
    return stop_signal != 0 ? 1 : 0;
}

static int serve_loop(host_app *app, int wakeup_fd, uint32_t *total)
{
    for (;;) {
        int woke = wait_for_work(wakeup_fd);
        if (woke != 0) {
            return woke < 0 ? -1 : 0;
        }
        if (poll_until_idle(app, total) != 0) {
            return -1;
        }
    }
}

/* Where the plugin's webhook server listens, from oc_call webhooks.status. */
static void print_webhooks_status(host_app *app)
{
    static const char args[] = "{}";
    oc_buffer *result = NULL;
    json_span body;
    json_span listening;
    char *address;
    int64_t port = 0;
    if (app->api.call(app->plugin, "webhooks.status", args, sizeof args - 1, &result) != OC_OK) {
        app->api.buffer_free(result);
        return;
    }
    body = json_span_of(app->api.buffer_data(result), app->api.buffer_size(result));
    address = json_find_string(body, "address");
    if (json_find(body, "listening", &listening) && listening.len == 4 &&
        memcmp(listening.ptr, "true", 4) == 0 && address != NULL && json_find_int64(body, "port", &port)) {
        printf(strchr(address, ':') != NULL ? "serve: webhooks on http://[%s]:%lld/webhooks/\n"
                                            : "serve: webhooks on http://%s:%lld/webhooks/\n",
               address, (long long)port);
    } else {
        printf("serve: no webhook server (the config has no \"webhooks\" section)\n");
    }
    free(address);
    app->api.buffer_free(result);
}

int command_serve(host_app *app)
{
    int32_t wakeup_fd = app->api.wakeup_fd(app->plugin);
    uint32_t total = 0;
    int rc;
    if (wakeup_fd < 0) {
        fprintf(stderr, "serve: oc_wakeup_fd returned %ld\n", (long)wakeup_fd);
        return HOST_EXIT_FAILED;
    }
    if (install_stop_handlers() != 0) {
        fprintf(stderr, "serve: cannot install signal handlers: %s\n", strerror(errno));
        remove_stop_handlers();
        return HOST_EXIT_FAILED;
    }
    printf("serve: ready, wakeup fd %ld\n", (long)wakeup_fd);
    print_webhooks_status(app);
    fflush(stdout);
    rc = poll_until_idle(app, &total) == 0 ? serve_loop(app, wakeup_fd, &total) : -1;
    if (stop_signal != 0) {
        printf("serve: stopping on signal %d\n", (int)stop_signal);
    }
    remove_stop_handlers();
    printf("serve: ran %lu callbacks\n", (unsigned long)total);
    return rc == 0 ? HOST_EXIT_OK : HOST_EXIT_FAILED;
}
