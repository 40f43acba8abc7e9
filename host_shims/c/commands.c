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
/* oc_submit answered OC_ERR_BUSY: nothing was written, so try again. */
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
    printf("callbacks: refund %lu, adjust_inventory %lu, notify %lu, lookup_order %lu\n",
           (unsigned long)c->refund, (unsigned long)c->adjust_inventory,
           (unsigned long)c->notify, (unsigned long)c->lookup_order);
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

static oc_status submit_line(host_app *app, const char *line, size_t len, oc_buffer **result)
{
    oc_status status = OC_ERR_BUSY;
    int attempt;
    for (attempt = 0; attempt <= BUSY_RETRIES && status == OC_ERR_BUSY; attempt++) {
        if (attempt > 0) {
            sleep_ms(BUSY_PAUSE_MS);
        }
        *result = NULL;
        status = app->api.submit(app->plugin, line, len, result);
    }
    return status;
}

typedef struct replay_tally {
    unsigned long lines;
    unsigned long accepted;
    unsigned long duplicate;
    unsigned long rejected;
} replay_tally;

/* Prints "line N: accepted|duplicate <id>" from the submit result. */
static void report_accepted(const host_app *app, unsigned long line_no, const oc_buffer *result,
                            replay_tally *tally)
{
    json_span body = json_span_of(app->api.buffer_data(result), app->api.buffer_size(result));
    char *status = json_find_string(body, "status");
    char *event_id = json_find_string(body, "event_id");
    const char *word = status != NULL ? status : "accepted";
    if (strcmp(word, "duplicate") == 0) {
        tally->duplicate++;
    } else {
        tally->accepted++;
    }
    printf("line %lu: %s %s\n", line_no, word, event_id != NULL ? event_id : "-");
    free(status);
    free(event_id);
}

/* Moves the virtual clock to the event's occurred_at, if it has one. */
static void follow_event_time(host_app *app, const char *line, size_t len)
{
    json_span value;
    int64_t ms;
    if (app->ctx.clock->enabled && json_find(json_span_of(line, len), "occurred_at", &value) &&
        json_is_string(value) && rfc3339_parse(value.ptr + 1, value.len - 2, &ms)) {
        virtual_clock_follow(app->ctx.clock, ms);
    }
}

/* Submits one line and polls. 0 to go on, -1 to stop the replay. */
static int replay_line(host_app *app, unsigned long line_no, const char *line, size_t len,
                       replay_tally *tally, uint32_t *callbacks)
{
    oc_buffer *result = NULL;
    oc_status status;
    follow_event_time(app, line, len);
    status = submit_line(app, line, len, &result);
    if (status == OC_OK) {
        report_accepted(app, line_no, result, tally);
    } else if (is_input_rejection(status)) {
        tally->rejected++;
        printf("line %lu: rejected: %s: %s\n", line_no, app->api.status_name(status),
               app->api.last_error());
    } else {
        printf("line %lu: failed: %s: %s\n", line_no, app->api.status_name(status),
               app->api.last_error());
    }
    app->api.buffer_free(result);
    if (status != OC_OK && !is_input_rejection(status)) {
        return -1;
    }
    return poll_until_idle(app, callbacks);
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

int command_replay(host_app *app, const char *path)
{
    FILE *file = fopen(path, "rb");
    replay_tally tally = {0, 0, 0, 0};
    unsigned long line_no = 0;
    uint32_t callbacks = 0;
    char *line = NULL;
    size_t capacity = 0;
    ssize_t got;
    int rc = HOST_EXIT_OK;
    if (file == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
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
        if (replay_line(app, line_no, line, len, &tally, &callbacks) != 0) {
            rc = HOST_EXIT_FAILED;
        }
    }
    if (rc == HOST_EXIT_OK && ferror(file)) {
        fprintf(stderr, "replay: %s: read error\n", path);
        rc = HOST_EXIT_FAILED;
    }
    free(line);
    fclose(file);
    printf("accepted %lu, duplicate %lu, rejected %lu of %lu lines\n", tally.accepted,
           tally.duplicate, tally.rejected, tally.lines);
    print_callback_counts(app);
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
