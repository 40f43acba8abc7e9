#include "host_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_quote.h"

static int read_file(const char *path, char **data, size_t *len, char *error,
                     size_t error_size)
{
    FILE *file = fopen(path, "rb");
    char *buffer = NULL;
    size_t size = 0;
    size_t capacity = 0;
    if (file == NULL) {
        snprintf(error, error_size, "--config %s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (size == capacity) {
            char *bigger = realloc(buffer, capacity == 0 ? 4096 : capacity * 2);
            if (bigger == NULL) {
                snprintf(error, error_size, "--config %s: out of memory", path);
                break;
            }
            buffer = bigger;
            capacity = capacity == 0 ? 4096 : capacity * 2;
        }
        size += fread(buffer + size, 1, capacity - size, file);
        if (size < capacity) {
            break;
        }
    }
    if (buffer != NULL && size < capacity && !ferror(file)) {
        fclose(file);
        *data = buffer;
        *len = size;
        return 0;
    }
    if (ferror(file)) {
        snprintf(error, error_size, "--config %s: read error", path);
    }
    fclose(file);
    free(buffer);
    return -1;
}

static int compose_store_config(const char *db_path, char **json, size_t *len, char *error,
                                size_t error_size)
{
    static const char head[] = "{\"store\":{\"path\":";
    char *quoted = json_quote(db_path);
    char *doc = quoted != NULL ? malloc(sizeof head + strlen(quoted) + 2) : NULL;
    if (doc == NULL) {
        free(quoted);
        snprintf(error, error_size, "--db: out of memory");
        return -1;
    }
    sprintf(doc, "%s%s}}", head, quoted);
    free(quoted);
    *json = doc;
    *len = strlen(doc);
    return 0;
}

int host_config_build(const char *config_path, const char *db_path, char **json, size_t *len,
                      int *usage_error, char *error, size_t error_size)
{
    *json = NULL;
    *len = 0;
    *usage_error = 0;
    if (config_path != NULL && db_path != NULL) {
        snprintf(error, error_size,
                 "--config and --db both given: set store.path in the config file instead");
        *usage_error = 1;
        return -1;
    }
    if (config_path != NULL) {
        return read_file(config_path, json, len, error, error_size);
    }
    if (db_path != NULL) {
        return compose_store_config(db_path, json, len, error, error_size);
    }
    return 0;
}
