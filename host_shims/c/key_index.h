/*
 * key_index.h - a string -> size_t map (open addressing, FNV-1a), used to
 * look up orders, stock rows and ledger keys without a linear scan.
 */
#ifndef OC_HOST_KEY_INDEX_H
#define OC_HOST_KEY_INDEX_H

#include <stddef.h>

typedef struct key_index {
    char **keys;     /* NULL for an empty slot; owned copies. */
    size_t *values;
    size_t capacity; /* 0 or a power of two. */
    size_t count;
} key_index;

void key_index_init(key_index *index);
void key_index_free(key_index *index);

/* 1 and *value if key is present, else 0. value may be NULL. */
int key_index_find(const key_index *index, const char *key, size_t *value);

/* Adds key -> value unless key is present. Returns 1 if added, 0 if it was
   already there (the old value stays), -1 on out of memory. */
int key_index_add(key_index *index, const char *key, size_t value);

#endif
