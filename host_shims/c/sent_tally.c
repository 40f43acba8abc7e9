#include "sent_tally.h"

#include <stdlib.h>
#include <string.h>

void sent_tally_init(sent_tally *tally)
{
    memset(tally, 0, sizeof *tally);
}

void sent_tally_free(sent_tally *tally)
{
    size_t i;
    for (i = 0; i < tally->count; i++) {
        free(tally->names[i]);
    }
    free(tally->names);
    free(tally->counts);
    sent_tally_init(tally);
}

static int grow(sent_tally *tally)
{
    size_t capacity = tally->capacity ? tally->capacity * 2 : 16;
    char **names = realloc(tally->names, capacity * sizeof *names);
    unsigned long *counts;
    if (names == NULL) {
        return -1;
    }
    tally->names = names;
    counts = realloc(tally->counts, capacity * sizeof *counts);
    if (counts == NULL) {
        return -1;
    }
    tally->counts = counts;
    tally->capacity = capacity;
    return 0;
}

int sent_tally_add(sent_tally *tally, const char *name)
{
    size_t at = 0;
    char *copy;
    /* A handful of names: a sorted array searched in order is plenty. */
    while (at < tally->count && strcmp(tally->names[at], name) < 0) {
        at++;
    }
    if (at < tally->count && strcmp(tally->names[at], name) == 0) {
        tally->counts[at]++;
        return 0;
    }
    if (tally->count == tally->capacity && grow(tally) != 0) {
        return -1;
    }
    copy = malloc(strlen(name) + 1);
    if (copy == NULL) {
        return -1;
    }
    strcpy(copy, name);
    memmove(tally->names + at + 1, tally->names + at, (tally->count - at) * sizeof *tally->names);
    memmove(tally->counts + at + 1, tally->counts + at, (tally->count - at) * sizeof *tally->counts);
    tally->names[at] = copy;
    tally->counts[at] = 1;
    tally->count++;
    return 0;
}

void sent_tally_print(const sent_tally *tally, FILE *out)
{
    size_t i;
    if (tally->count == 0) {
        fputs("none", out);
    }
    for (i = 0; i < tally->count; i++) {
        fprintf(out, "%s%s %lu", i > 0 ? ", " : "", tally->names[i], tally->counts[i]);
    }
}
