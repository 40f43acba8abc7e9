/*
 * crash_event.h - the event the crash driver submits for sequence number n,
 * a pure function of n so the checker can recompute exactly what each
 * stored row must hold. Shared by the C99 driver and the C++ checker.
 */
#ifndef ORDERCARE_CRASH_EVENT_H
#define ORDERCARE_CRASH_EVENT_H

#include <stdio.h>
#include <string.h>

/* 2026-11-22T10:00:00Z in seconds since the epoch. */
#define CRASH_BASE_SECONDS 1795341600L

/* Writes the id of event n ("crash-00000042"). */
static inline void crash_event_id(char *out, size_t size, long n) {
    snprintf(out, size, "crash-%08ld", n);
}

/* Padding from 0 to 2999 bytes, so rows of every size cross page edges. */
static inline size_t crash_event_padding(long n) { return (size_t)((n * 37) % 3000); }

/* Writes event n as JSON; returns its length. size must be >= 4096. */
static inline size_t crash_event_json(char *out, size_t size, long n) {
    char id[32];
    char pad[3001];
    const long seconds = n % 86400;
    const size_t pad_len = crash_event_padding(n);
    memset(pad, (int)('a' + n % 26), pad_len);
    pad[pad_len] = '\0';
    crash_event_id(id, sizeof id, n);
    /* All on one day: 10:00:00 plus n seconds, wrapping at midnight. */
    return (size_t)snprintf(
        out, size,
        "{\"id\": \"%s\", \"type\": \"cancellation.requested\", "
        "\"occurred_at\": \"2026-11-22T%02ld:%02ld:%02ldZ\", \"source\": \"crash-driver\", "
        "\"data\": {\"order_id\": \"order-%ld\", \"reason\": \"%s\"}, \"sequence\": %ld}",
        id, (10 + seconds / 3600) % 24, seconds / 60 % 60, seconds % 60, n, pad, n);
}

#endif
