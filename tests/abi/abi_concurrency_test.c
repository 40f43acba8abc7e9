/* oc_submit from several host threads at once: every event accepted and
   counted exactly once, ids shared between threads stored once, and the
   same id raced by two threads accepted by exactly one of them. */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "abi_test.h"

enum { kThreads = 4, kPerThread = 500, kShared = 300, kRaces = 40 };

static char g_dir[512];
static oc_plugin *g_plugin;

static void setup(void) {
    char store[600];
    abi_temp_dir(g_dir, sizeof g_dir);
    snprintf(store, sizeof store, "%s/store.db", g_dir);
    g_plugin = abi_open_store(store, NULL);
}

static void teardown(void) {
    if (g_plugin) CHECK_STATUS(oc_close(g_plugin), OC_OK);
    g_plugin = NULL;
    abi_remove_tree(g_dir);
}

typedef struct worker {
    pthread_t thread;
    int index;
    int accepted;
    int duplicates;
    int failures;
    oc_status first_failure;
    char first_message[256];
} worker;

static void record(worker *w, oc_status status, const char *answer) {
    if (status != OC_OK) {
        if (w->failures++ == 0) {
            w->first_failure = status;
            snprintf(w->first_message, sizeof w->first_message, "%s", oc_last_error());
        }
    } else if (strcmp(answer, "accepted") == 0) {
        ++w->accepted;
    } else if (strcmp(answer, "duplicate") == 0) {
        ++w->duplicates;
    }
}

static void *submit_own_ids(void *arg) {
    worker *w = (worker *)arg;
    int i;
    for (i = 0; i < kPerThread; ++i) {
        char id[64], answer[32];
        snprintf(id, sizeof id, "t%d-e%d", w->index, i);
        record(w, abi_submit_id(g_plugin, id, answer, sizeof answer), answer);
    }
    return NULL;
}

/* Every thread submits the same kShared ids, each starting at a different
   point so that threads collide on different ids at different times. */
static void *submit_shared_ids(void *arg) {
    worker *w = (worker *)arg;
    int i;
    for (i = 0; i < kShared; ++i) {
        char id[64], answer[32];
        snprintf(id, sizeof id, "shared-%d", (i + w->index * (kShared / kThreads)) % kShared);
        record(w, abi_submit_id(g_plugin, id, answer, sizeof answer), answer);
    }
    return NULL;
}

static void report_failures(const worker *workers, int n) {
    int i;
    for (i = 0; i < n; ++i) {
        CHECK_EQ_INT(workers[i].failures, 0);
        if (workers[i].failures)
            fprintf(stderr, "    thread %d: %s: %s\n", i, oc_status_name(workers[i].first_failure),
                    workers[i].first_message);
    }
}

static void four_threads_submit_distinct_events(void) {
    worker workers[kThreads];
    int i, accepted = 0;
    setup();
    if (g_plugin) {
        memset(workers, 0, sizeof workers);
        for (i = 0; i < kThreads; ++i) {
            workers[i].index = i;
            CHECK(pthread_create(&workers[i].thread, NULL, submit_own_ids, &workers[i]) == 0);
        }
        for (i = 0; i < kThreads; ++i) pthread_join(workers[i].thread, NULL);
        report_failures(workers, kThreads);
        for (i = 0; i < kThreads; ++i) {
            accepted += workers[i].accepted;
            CHECK_EQ_INT(workers[i].duplicates, 0);
        }
        CHECK_EQ_INT(accepted, kThreads * kPerThread);
        CHECK_EQ_INT(abi_event_count(g_plugin), kThreads * kPerThread);
    }
    teardown();
}

static void overlapping_ids_are_stored_once(void) {
    worker workers[kThreads];
    int i, accepted = 0, duplicates = 0;
    setup();
    if (g_plugin) {
        memset(workers, 0, sizeof workers);
        for (i = 0; i < kThreads; ++i) {
            workers[i].index = i;
            CHECK(pthread_create(&workers[i].thread, NULL, submit_shared_ids, &workers[i]) == 0);
        }
        for (i = 0; i < kThreads; ++i) pthread_join(workers[i].thread, NULL);
        report_failures(workers, kThreads);
        for (i = 0; i < kThreads; ++i) {
            accepted += workers[i].accepted;
            duplicates += workers[i].duplicates;
        }
        CHECK_EQ_INT(accepted, kShared);
        CHECK_EQ_INT(duplicates, (kThreads - 1) * kShared);
        CHECK_EQ_INT(abi_event_count(g_plugin), kShared);
    }
    teardown();
}

/* Two threads released together submit one id. */
typedef struct race {
    pthread_barrier_t *start;
    worker w;
    const char *id;
} race;

static void *race_one_id(void *arg) {
    race *r = (race *)arg;
    char answer[32];
    pthread_barrier_wait(r->start);
    record(&r->w, abi_submit_id(g_plugin, r->id, answer, sizeof answer), answer);
    return NULL;
}

static void the_same_id_from_two_threads_at_once_is_accepted_once(void) {
    int round;
    setup();
    if (g_plugin) {
        for (round = 0; round < kRaces; ++round) {
            pthread_barrier_t start;
            race racers[2];
            char id[32];
            int i;
            snprintf(id, sizeof id, "raced-%d", round);
            pthread_barrier_init(&start, NULL, 2);
            memset(racers, 0, sizeof racers);
            for (i = 0; i < 2; ++i) {
                racers[i].start = &start;
                racers[i].id = id;
                CHECK(pthread_create(&racers[i].w.thread, NULL, race_one_id, &racers[i]) == 0);
            }
            for (i = 0; i < 2; ++i) pthread_join(racers[i].w.thread, NULL);
            pthread_barrier_destroy(&start);
            CHECK_EQ_INT(racers[0].w.failures + racers[1].w.failures, 0);
            CHECK_EQ_INT(racers[0].w.accepted + racers[1].w.accepted, 1);
            CHECK_EQ_INT(racers[0].w.duplicates + racers[1].w.duplicates, 1);
        }
        CHECK_EQ_INT(abi_event_count(g_plugin), kRaces);
    }
    teardown();
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"four_threads_submit_distinct_events", four_threads_submit_distinct_events},
        {"overlapping_ids_are_stored_once", overlapping_ids_are_stored_once},
        {"the_same_id_from_two_threads_at_once_is_accepted_once",
         the_same_id_from_two_threads_at_once_is_accepted_once},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
