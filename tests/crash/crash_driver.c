/*
 * crash_driver - a host that submits events as fast as it can until it is
 * killed. Usage:
 *   crash_driver STORE_PATH DURABILITY FIRST_SEQUENCE THREADS [BATCH]
 * It prints "ready" once the plugin is open, then "ack <n> <status>" for
 * event n only after oc_submit returned OC_OK for it, so every line the
 * parent reads is an event the plugin promised is durable. With BATCH > 0
 * each thread submits BATCH events per oc_submit_batch and acknowledges
 * each after the call returned. Each line is one write(2) to the pipe, so
 * lines from several threads never interleave.
 */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash_event.h"
#include "ordercare.h"

static oc_plugin *g_plugin;
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static long g_next;
static int g_batch;  /* events per oc_submit_batch; 0: oc_submit */

static void say(const char *line) {
    const size_t len = strlen(line);
    if (write(STDOUT_FILENO, line, len) != (ssize_t)len) _exit(4);
}

/* The first of `count` consecutive sequence numbers. */
static long take_sequences(long count) {
    long n;
    pthread_mutex_lock(&g_mutex);
    n = g_next;
    g_next += count;
    pthread_mutex_unlock(&g_mutex);
    return n;
}

static long take_sequence(void) { return take_sequences(1); }

enum { kMaxBatch = 256 };

/* The answers of a batch are a JSON array in order, each object holding
   its "status"; an error has "code". */
static void *submit_batches_forever(void *unused) {
    char(*events)[8192] = (char(*)[8192])malloc(kMaxBatch * sizeof *events);
    const char *pointers[kMaxBatch];
    size_t lens[kMaxBatch];
    char line[128];
    (void)unused;
    if (!events) _exit(3);
    for (;;) {
        oc_buffer *result = NULL;
        const long first = take_sequences(g_batch);
        const char *at;
        oc_status status;
        int i;
        for (i = 0; i < g_batch; ++i) {
            lens[i] = crash_event_json(events[i], sizeof events[i], first + i);
            pointers[i] = events[i];
        }
        status = oc_submit_batch(g_plugin, pointers, lens, (size_t)g_batch, &result);
        if (status != OC_OK || strstr(oc_buffer_data(result), "\"error\"")) {
            fprintf(stderr, "crash_driver: batch from %ld: %s: %s %s\n", first, oc_status_name(status),
                    oc_last_error(), oc_buffer_data(result));
            _exit(3);
        }
        at = oc_buffer_data(result);
        for (i = 0; i < g_batch; ++i) {
            const char *status_at = strstr(at, "\"status\":\"");
            if (!status_at) _exit(3);
            status_at += strlen("\"status\":\"");
            snprintf(line, sizeof line, "ack %ld %s\n", first + i,
                     strncmp(status_at, "duplicate", 9) == 0 ? "duplicate" : "accepted");
            say(line);
            at = status_at;
        }
        oc_buffer_free(result);
    }
    return NULL;
}

static void *submit_forever(void *unused) {
    char event[8192];
    char line[128];
    (void)unused;
    for (;;) {
        oc_buffer *result = NULL;
        const long n = take_sequence();
        const size_t len = crash_event_json(event, sizeof event, n);
        const oc_status status = oc_submit(g_plugin, event, len, &result);
        if (status != OC_OK) {
            fprintf(stderr, "crash_driver: event %ld: %s: %s\n", n, oc_status_name(status),
                    oc_last_error());
            _exit(3);
        }
        snprintf(line, sizeof line, "ack %ld %s\n", n,
                 strstr(oc_buffer_data(result), "\"duplicate\"") ? "duplicate" : "accepted");
        oc_buffer_free(result);
        say(line);
    }
    return NULL;
}

int main(int argc, char **argv) {
    char config[2048];
    oc_options options;
    pthread_t threads[16];
    int count, i;
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: crash_driver STORE_PATH full|normal FIRST_SEQUENCE THREADS [BATCH]\n");
        return 2;
    }
    g_next = atol(argv[3]);
    count = atoi(argv[4]);
    if (count < 1 || count > 16) count = 1;
    g_batch = argc == 6 ? atoi(argv[5]) : 0;
    if (g_batch < 0 || g_batch > kMaxBatch) g_batch = kMaxBatch;
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\", \"durability\": \"%s\"}}",
             argv[1], argv[2]);
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.config_json = config;
    options.config_len = strlen(config);
    if (oc_open(&options, NULL, &g_plugin) != OC_OK) {
        fprintf(stderr, "crash_driver: oc_open: %s\n", oc_last_error());
        return 3;
    }
    say("ready\n");
    for (i = 0; i < count; ++i)
        pthread_create(&threads[i], NULL, g_batch > 0 ? submit_batches_forever : submit_forever, NULL);
    for (i = 0; i < count; ++i) pthread_join(threads[i], NULL);
    return 0;
}
