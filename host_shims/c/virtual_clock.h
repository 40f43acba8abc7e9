/*
 * virtual_clock.h - the host's optional clock (oc_host.now_ms). With
 * "--clock fixed:<rfc3339>" the plugin reads a virtual time that starts at
 * the given instant and only moves forward, following the occurred_at of
 * replayed events, so a replay of a past day behaves as it did that day.
 */
#ifndef OC_HOST_VIRTUAL_CLOCK_H
#define OC_HOST_VIRTUAL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct virtual_clock {
    int enabled;    /* 0: "real", the plugin uses its own clock. */
    int64_t now_ms;
} virtual_clock;

/* Parses "real" or "fixed:<rfc3339>". 0 on success, -1 with a message. */
int virtual_clock_parse(virtual_clock *clock, const char *spec, char *error, size_t error_size);

/* Moves the clock to event_ms if that is later; a no-op when disabled. */
void virtual_clock_follow(virtual_clock *clock, int64_t event_ms);

#endif
