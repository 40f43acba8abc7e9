#include "key_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void key_index_init(key_index *index)
{
    index->keys = NULL;
    index->values = NULL;
    index->capacity = 0;
    index->count = 0;
}

void key_index_free(key_index *index)
{
    size_t i;
    for (i = 0; i < index->capacity; i++) {
        free(index->keys[i]);
    }
    free(index->keys);
    free(index->values);
    key_index_init(index);
}

static size_t hash_key(const char *key)
{
    uint64_t hash = 14695981039346656037ULL;
    for (; *key != '\0'; key++) {
        hash ^= (unsigned char)*key;
        hash *= 1099511628211ULL;
    }
    return (size_t)hash;
}

/* The slot holding key, or the empty slot where it would go. capacity > 0. */
static size_t slot_of(const key_index *index, const char *key)
{
    size_t mask = index->capacity - 1;
    size_t slot = hash_key(key) & mask;
    while (index->keys[slot] != NULL && strcmp(index->keys[slot], key) != 0) {
        slot = (slot + 1) & mask;
    }
    return slot;
}

int key_index_find(const key_index *index, const char *key, size_t *value)
{
    size_t slot;
    if (index->capacity == 0) {
        return 0;
    }
    slot = slot_of(index, key);
    if (index->keys[slot] == NULL) {
        return 0;
    }
    if (value != NULL) {
        *value = index->values[slot];
    }
    return 1;
}

static int grow(key_index *index)
{
    key_index bigger;
    size_t i;
    bigger.capacity = index->capacity == 0 ? 64 : index->capacity * 2;
    bigger.count = index->count;
    bigger.keys = calloc(bigger.capacity, sizeof *bigger.keys);
    bigger.values = calloc(bigger.capacity, sizeof *bigger.values);
    if (bigger.keys == NULL || bigger.values == NULL) {
        free(bigger.keys);
        free(bigger.values);
        return -1;
    }
    for (i = 0; i < index->capacity; i++) {
        if (index->keys[i] != NULL) {
            size_t slot = slot_of(&bigger, index->keys[i]);
            bigger.keys[slot] = index->keys[i];
            bigger.values[slot] = index->values[i];
        }
    }
    free(index->keys);
    free(index->values);
    *index = bigger;
    return 0;
}

int key_index_add(key_index *index, const char *key, size_t value)
{
    size_t slot;
    char *copy;
    /* Keep the load factor under one half so probes stay short. */
    if ((index->count + 1) * 2 > index->capacity && grow(index) != 0) {
        return -1;
    }
    slot = slot_of(index, key);
    if (index->keys[slot] != NULL) {
        return 0;
    }
    copy = malloc(strlen(key) + 1);
    if (copy == NULL) {
        return -1;
    }
    strcpy(copy, key);
    index->keys[slot] = copy;
    index->values[slot] = value;
    index->count++;
    return 1;
}
