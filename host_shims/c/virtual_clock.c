#include "virtual_clock.h"

#include <stdio.h>
#include <string.h>

#include "rfc3339.h"

int virtual_clock_parse(virtual_clock *clock, const char *spec, char *error, size_t error_size)
{
    static const char prefix[] = "fixed:";
    const char *when;
    clock->enabled = 0;
    clock->now_ms = 0;
    if (strcmp(spec, "real") == 0) {
        return 0;
    }
    if (strncmp(spec, prefix, sizeof prefix - 1) != 0) {
        snprintf(error, error_size, "--clock: expected 'real' or 'fixed:<rfc3339>', got '%s'", spec);
        return -1;
    }
    when = spec + sizeof prefix - 1;
    if (!rfc3339_parse(when, strlen(when), &clock->now_ms)) {
        snprintf(error, error_size,
                 "--clock: '%s' is not an RFC 3339 time with offset (e.g. 2026-11-20T00:00:00Z)",
                 when);
        return -1;
    }
    clock->enabled = 1;
    return 0;
}

void virtual_clock_follow(virtual_clock *clock, int64_t event_ms)
{
    if (clock->enabled && event_ms > clock->now_ms) {
        clock->now_ms = event_ms;
    }
}
