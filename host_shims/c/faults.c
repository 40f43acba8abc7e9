#include "faults.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void faults_init(faults *f)
{
    f->enabled = 0;
    f->rate = 0.0;
    f->state = 0;
}

int faults_parse(faults *f, const char *spec, char *error, size_t error_size)
{
    char *end = NULL;
    unsigned long long seed;
    double rate;
    faults_init(f);
    errno = 0;
    seed = strtoull(spec, &end, 10);
    if (errno != 0 || end == spec || *end != ':' || spec[0] == '-') {
        snprintf(error, error_size, "--faults: expected SEED:RATE (e.g. 42:0.2), got '%s'", spec);
        return -1;
    }
    spec = end + 1;
    errno = 0;
    rate = strtod(spec, &end);
    if (errno != 0 || end == spec || *end != '\0' || !(rate >= 0.0 && rate <= 1.0)) {
        snprintf(error, error_size, "--faults: RATE must be a number from 0 to 1, got '%s'", spec);
        return -1;
    }
    f->enabled = 1;
    f->rate = rate;
    f->state = (uint64_t)seed;
    return 0;
}

/* splitmix64: tiny, fast, and the same on every platform. */
static uint64_t next_random(faults *f)
{
    uint64_t z = (f->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1) from the top 53 bits. */
static double next_unit(faults *f)
{
    return (double)(next_random(f) >> 11) * (1.0 / 9007199254740992.0);
}

fault_kind faults_draw(faults *f)
{
    if (!f->enabled || next_unit(f) >= f->rate) {
        return FAULT_NONE;
    }
    switch (next_random(f) % 3) {
    case 0:
        return FAULT_RETRY_LATER;
    case 1:
        return FAULT_REJECTED;
    default:
        return FAULT_SLOW;
    }
}

const char *fault_name(fault_kind kind)
{
    switch (kind) {
    case FAULT_RETRY_LATER:
        return "retry_later";
    case FAULT_REJECTED:
        return "rejected";
    case FAULT_SLOW:
        return "slow";
    default:
        return "none";
    }
}
