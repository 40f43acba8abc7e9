#include "ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *join_key(const char *kind, const char *key)
{
    size_t kind_len = strlen(kind);
    size_t key_len = strlen(key);
    char *joined = malloc(kind_len + key_len + 2);
    if (joined != NULL) {
        memcpy(joined, kind, kind_len);
        joined[kind_len] = '\t';
        memcpy(joined + kind_len + 1, key, key_len + 1);
    }
    return joined;
}

static void count_action(ledger *l, const char *kind, const char *json, size_t len)
{
    money amount;
    if (strcmp(kind, LEDGER_ADJUST_INVENTORY) == 0) {
        l->adjustments++;
        return;
    }
    if (strcmp(kind, LEDGER_ORDER_ACTION) == 0) {
        l->order_actions++;
        return;
    }
    l->refunds++;
    if (!money_from_request(json_span_of(json, len), &amount)) {
        l->refunds_without_amount++;
    } else if (money_totals_add(&l->refunded, &amount) != 0) {
        /* Only the summary loses a row; the action itself is recorded. */
        l->refunds_without_amount++;
    }
}

/* Adds an action to the in-memory view. 0, or -1 on out of memory. */
static int remember_action(ledger *l, const char *kind, const char *key, const char *json,
                           size_t len)
{
    char *joined = join_key(kind, key);
    int added;
    if (joined == NULL) {
        return -1;
    }
    added = key_index_add(&l->done, joined, 0);
    free(joined);
    if (added < 0) {
        return -1;
    }
    if (added == 0) {
        l->applied_twice++;
    }
    count_action(l, kind, json, len);
    return 0;
}

static int is_action_kind(const char *kind)
{
    return strcmp(kind, LEDGER_REFUND) == 0 || strcmp(kind, LEDGER_ADJUST_INVENTORY) == 0 ||
           strcmp(kind, LEDGER_ORDER_ACTION) == 0;
}

/* Parses one complete line (without its '\n', NUL-terminated in place). */
static int load_line(ledger *l, char *line, size_t line_no, char *error, size_t error_size)
{
    char *key = strchr(line, '\t');
    char *json = key != NULL ? strchr(key + 1, '\t') : NULL;
    if (json == NULL) {
        snprintf(error, error_size, "%s:%zu: expected <kind>\\t<key>\\t<json>", l->path, line_no);
        return -1;
    }
    *key++ = '\0';
    *json++ = '\0';
    if (strcmp(line, LEDGER_DUPLICATE) == 0) {
        l->duplicates++;
        return 0;
    }
    if (!is_action_kind(line)) {
        snprintf(error, error_size, "%s:%zu: unknown kind '%s'", l->path, line_no, line);
        return -1;
    }
    if (remember_action(l, line, key, json, strlen(json)) != 0) {
        snprintf(error, error_size, "%s: out of memory", l->path);
        return -1;
    }
    return 0;
}

static int read_all(int fd, char **data, size_t *size)
{
    size_t capacity = 65536;
    char *buffer = malloc(capacity);
    *size = 0;
    if (buffer == NULL) {
        return -1;
    }
    for (;;) {
        ssize_t got;
        if (*size == capacity) {
            char *bigger = realloc(buffer, capacity * 2);
            if (bigger == NULL) {
                free(buffer);
                return -1;
            }
            buffer = bigger;
            capacity *= 2;
        }
        got = read(fd, buffer + *size, capacity - *size);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            free(buffer);
            return -1;
        }
        if (got == 0) {
            break;
        }
        *size += (size_t)got;
    }
    *data = buffer;
    return 0;
}

/* Loads every complete line; *complete receives the bytes they span. */
static int load_lines(ledger *l, char *data, size_t size, size_t *complete, char *error,
                      size_t error_size)
{
    size_t start = 0;
    size_t line_no = 0;
    while (start < size) {
        char *newline = memchr(data + start, '\n', size - start);
        if (newline == NULL) {
            break;
        }
        *newline = '\0';
        line_no++;
        if (load_line(l, data + start, line_no, error, error_size) != 0) {
            return -1;
        }
        start = (size_t)(newline - data) + 1;
    }
    *complete = start;
    return 0;
}

/* A new file's directory entry must be durable too, or a crash could lose
   the whole ledger after DONE was answered. */
static int sync_parent_directory(const char *path)
{
    char *copy = malloc(strlen(path) + 1);
    int fd;
    int rc = -1;
    if (copy == NULL) {
        return -1;
    }
    strcpy(copy, path);
    fd = open(dirname(copy), O_RDONLY);
    if (fd >= 0) {
        rc = fsync(fd);
        if (close(fd) != 0) {
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

static int open_file(ledger *l, char *error, size_t error_size)
{
    l->fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_APPEND, 0644);
    if (l->fd >= 0) {
        if (sync_parent_directory(l->path) != 0) {
            snprintf(error, error_size, "%s: cannot sync its directory: %s", l->path,
                     strerror(errno));
            return -1;
        }
        return 0;
    }
    if (errno == EEXIST) {
        l->fd = open(l->path, O_RDWR | O_APPEND);
    }
    if (l->fd < 0) {
        snprintf(error, error_size, "%s: %s", l->path, strerror(errno));
        return -1;
    }
    return 0;
}

static int load_file(ledger *l, char *error, size_t error_size)
{
    char *data = NULL;
    size_t size = 0;
    size_t complete = 0;
    int rc;
    if (read_all(l->fd, &data, &size) != 0) {
        snprintf(error, error_size, "%s: cannot read: %s", l->path, strerror(errno));
        return -1;
    }
    rc = load_lines(l, data, size, &complete, error, error_size);
    free(data);
    if (rc != 0) {
        return -1;
    }
    if (complete < size) {
        fprintf(stderr, "[host] ledger %s: dropping a torn last line (%zu bytes)\n", l->path,
                size - complete);
        if (ftruncate(l->fd, (off_t)complete) != 0 || fsync(l->fd) != 0) {
            snprintf(error, error_size, "%s: cannot drop the torn line: %s", l->path,
                     strerror(errno));
            return -1;
        }
    }
    l->size = (off_t)complete;
    return 0;
}

void ledger_init(ledger *l)
{
    l->fd = -1;
    l->path = NULL;
    l->size = 0;
    key_index_init(&l->done);
    l->refunds = 0;
    l->adjustments = 0;
    l->order_actions = 0;
    l->duplicates = 0;
    l->applied_twice = 0;
    money_totals_init(&l->refunded);
    l->refunds_without_amount = 0;
}

int ledger_open(ledger *l, const char *path, char *error, size_t error_size)
{
    ledger_init(l);
    if (path == NULL) {
        return 0;
    }
    l->path = malloc(strlen(path) + 1);
    if (l->path == NULL) {
        snprintf(error, error_size, "ledger: out of memory");
        return -1;
    }
    strcpy(l->path, path);
    if (open_file(l, error, error_size) != 0 || load_file(l, error, error_size) != 0) {
        ledger_close(l);
        return -1;
    }
    return 0;
}

void ledger_close(ledger *l)
{
    if (l->fd >= 0 && close(l->fd) != 0) {
        fprintf(stderr, "[host] ledger %s: close: %s\n", l->path, strerror(errno));
    }
    free(l->path);
    key_index_free(&l->done);
    money_totals_free(&l->refunded);
    ledger_init(l);
}

int ledger_key_is_valid(const char *key)
{
    return strpbrk(key, "\t\r\n") == NULL;
}

int ledger_contains(const ledger *l, const char *kind, const char *key)
{
    char *joined = join_key(kind, key);
    int found = joined != NULL && key_index_find(&l->done, joined, NULL);
    free(joined);
    return found;
}

/* "<kind>\t<key>\t<json>\n"; JSON whitespace (tab, CR, LF can only be
   whitespace in valid JSON) becomes a space so the record stays one line. */
static char *format_line(const char *kind, const char *key, const char *json, size_t len,
                         size_t *line_len)
{
    size_t kind_len = strlen(kind);
    size_t key_len = strlen(key);
    size_t total = kind_len + key_len + len + 3;
    char *line = malloc(total + 1);
    size_t i;
    if (line == NULL) {
        return NULL;
    }
    sprintf(line, "%s\t%s\t", kind, key);
    for (i = 0; i < len; i++) {
        char c = json[i];
        line[kind_len + key_len + 2 + i] = (c == '\t' || c == '\r' || c == '\n') ? ' ' : c;
    }
    line[total - 1] = '\n';
    line[total] = '\0';
    *line_len = total;
    return line;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t wrote = write(fd, data, len);
        if (wrote < 0 && errno == EINTR) {
            continue;
        }
        if (wrote < 0) {
            return -1;
        }
        data += wrote;
        len -= (size_t)wrote;
    }
    return 0;
}

/* Appends and fsyncs one line; on failure cuts the file back so a partial
   line never precedes the next record. */
static int append_line(ledger *l, const char *line, size_t len)
{
    int saved;
    if (l->fd < 0) {
        return 0;
    }
    if (write_all(l->fd, line, len) == 0 && fsync(l->fd) == 0) {
        l->size += (off_t)len;
        return 0;
    }
    saved = errno;
    if (ftruncate(l->fd, l->size) != 0) {
        fprintf(stderr, "[host] ledger %s: cannot cut back a failed append: %s\n", l->path,
                strerror(errno));
    }
    errno = saved;
    return -1;
}

static int append_record(ledger *l, const char *kind, const char *key, const char *json,
                         size_t len)
{
    size_t line_len = 0;
    char *line = format_line(kind, key, json, len, &line_len);
    int rc;
    if (line == NULL) {
        errno = ENOMEM;
        return -1;
    }
    rc = append_line(l, line, line_len);
    free(line);
    return rc;
}

int ledger_record(ledger *l, const char *kind, const char *key, const char *json, size_t len)
{
    if (append_record(l, kind, key, json, len) != 0) {
        return -1;
    }
    if (remember_action(l, kind, key, json, len) != 0) {
        /* The line is durable; only this process's view missed it. */
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

int ledger_record_duplicate(ledger *l, const char *kind, const char *key, uint32_t attempt)
{
    char json[96];
    int n = snprintf(json, sizeof json, "{\"kind\":\"%s\",\"attempt\":%lu}", kind,
                     (unsigned long)attempt);
    if (n < 0 || (size_t)n >= sizeof json || append_record(l, LEDGER_DUPLICATE, key, json,
                                                             (size_t)n) != 0) {
        return -1;
    }
    l->duplicates++;
    return 0;
}

void ledger_print_summary(const ledger *l, FILE *out)
{
    size_t i;
    fprintf(out, "ledger %s\n", l->path != NULL ? l->path : "(memory)");
    fprintf(out, "kind refund %zu\n", l->refunds);
    fprintf(out, "kind adjust_inventory %zu\n", l->adjustments);
    fprintf(out, "kind order_action %zu\n", l->order_actions);
    for (i = 0; i < l->refunded.count; i++) {
        const money *row = &l->refunded.rows[i];
        fprintf(out, "refunded %s %lld\n", row->currency[0] != '\0' ? row->currency : "-",
                (long long)row->amount);
    }
    fprintf(out, "refunds_without_amount %zu\n", l->refunds_without_amount);
    fprintf(out, "duplicates_seen %zu\n", l->duplicates);
    fprintf(out, "applied_twice %zu\n", l->applied_twice);
}
