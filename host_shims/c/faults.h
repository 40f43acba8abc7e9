/*
 * faults.h - deterministic fault injection for the host's effect callbacks
 * ("--faults SEED:RATE"). With probability RATE a refund, adjust_inventory
 * or notify call answers RETRY_LATER, answers REJECTED, or is slow (50 ms)
 * before it is carried out; the same seed and the same sequence of calls
 * give the same faults.
 */
#ifndef OC_HOST_FAULTS_H
#define OC_HOST_FAULTS_H

#include <stddef.h>
#include <stdint.h>

typedef enum fault_kind {
    FAULT_NONE = 0,
    FAULT_RETRY_LATER,
    FAULT_REJECTED,
    FAULT_SLOW
} fault_kind;

typedef struct faults {
    int enabled;
    double rate;    /* In [0, 1]. */
    uint64_t state; /* splitmix64 state. */
} faults;

/* Disabled faults (every draw is FAULT_NONE). */
void faults_init(faults *f);

/* Parses "SEED:RATE" (e.g. "42:0.2"). 0 on success, -1 with a message. */
int faults_parse(faults *f, const char *spec, char *error, size_t error_size);

/* The fault for the next callback. */
fault_kind faults_draw(faults *f);

/* "retry_later", "rejected", "slow" or "none". */
const char *fault_name(fault_kind kind);

#endif
