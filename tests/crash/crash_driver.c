/*
 * crash_driver - a host that submits events as fast as it can until it is
 * killed. Usage:
 *   crash_driver STORE_PATH DURABILITY FIRST_SEQUENCE THREADS
 * It prints "ready" once the plugin is open, then "ack <n> <status>" for
 * event n only after oc_submit returned OC_OK for it, so every line the
 * parent reads is an event the plugin promised is durable. Each line is one
 * write(2) to the pipe, so lines from several threads never interleave.
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

static void say(const char *line) {
    const size_t len = strlen(line);
    if (write(STDOUT_FILENO, line, len) != (ssize_t)len) _exit(4);
}

static long take_sequence(void) {
    long n;
    pthread_mutex_lock(&g_mutex);
    n = g_next++;
    pthread_mutex_unlock(&g_mutex);
    return n;
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
    if (argc != 5) {
        fprintf(stderr, "usage: crash_driver STORE_PATH full|normal FIRST_SEQUENCE THREADS\n");
        return 2;
    }
    g_next = atol(argv[3]);
    count = atoi(argv[4]);
    if (count < 1 || count > 16) count = 1;
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
    for (i = 0; i < count; ++i) pthread_create(&threads[i], NULL, submit_forever, NULL);
    for (i = 0; i < count; ++i) pthread_join(threads[i], NULL);
    return 0;
}
