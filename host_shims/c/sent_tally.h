/*
 * sent_tally.h - counts by name of what the host carried out during one
 * run (customer messages by template, order actions by action), for the
 * lines replay ends with.
 */
#ifndef OC_HOST_SENT_TALLY_H
#define OC_HOST_SENT_TALLY_H

#include <stddef.h>
#include <stdio.h>

typedef struct sent_tally {
    char **names;    /* Owned copies, kept sorted. */
    unsigned long *counts;
    size_t count;
    size_t capacity;
} sent_tally;

void sent_tally_init(sent_tally *tally);
void sent_tally_free(sent_tally *tally);

/* Counts one more of name. 0, or -1 on out of memory (nothing counted). */
int sent_tally_add(sent_tally *tally, const char *name);

/* Prints "<name> <n>, <name> <n>" in name order, or "none". */
void sent_tally_print(const sent_tally *tally, FILE *out);

#endif
