#include "json_scan.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

json_span json_span_of(const char *text, size_t len)
{
    json_span span;
    span.ptr = text;
    span.len = len;
    return span;
}

static size_t skip_space(json_span s, size_t i)
{
    while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t' || s.ptr[i] == '\n' ||
                         s.ptr[i] == '\r')) {
        i++;
    }
    return i;
}

/* i is at the opening quote; returns the index after the closing quote, or
   s.len if the string never closes. */
static size_t skip_string(json_span s, size_t i)
{
    for (i++; i < s.len; i++) {
        if (s.ptr[i] == '\\') {
            i++;
        } else if (s.ptr[i] == '"') {
            return i + 1;
        }
    }
    return s.len;
}

/* Skips one value starting at i (no leading space); returns the index after
   it. Containers are skipped by bracket depth, strings by their quotes, so
   brackets inside strings do not count. */
static size_t skip_value(json_span s, size_t i)
{
    size_t depth = 0;
    if (i >= s.len) {
        return s.len;
    }
    if (s.ptr[i] == '"') {
        return skip_string(s, i);
    }
    if (s.ptr[i] != '{' && s.ptr[i] != '[') {
        while (i < s.len && strchr(",}] \t\r\n", s.ptr[i]) == NULL) {
            i++;
        }
        return i;
    }
    while (i < s.len) {
        char c = s.ptr[i];
        if (c == '"') {
            i = skip_string(s, i);
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            if (depth == 0) {
                return i + 1;
            }
        }
        i++;
    }
    return s.len;
}

static int key_equals(json_span s, size_t start, size_t end, const char *key, size_t key_len)
{
    /* start/end enclose the key without its quotes; keys we look for are
       plain ASCII, so an escaped key never matches. */
    return end - start == key_len && memcmp(s.ptr + start, key, key_len) == 0;
}

static int find_member(json_span object, const char *key, size_t key_len, json_span *value)
{
    size_t i = skip_space(object, 0);
    if (i >= object.len || object.ptr[i] != '{') {
        return 0;
    }
    i = skip_space(object, i + 1);
    while (i < object.len && object.ptr[i] == '"') {
        size_t key_start = i + 1;
        size_t key_end = skip_string(object, i);
        size_t value_start;
        size_t value_end;
        if (key_end >= object.len) {
            return 0;
        }
        i = skip_space(object, key_end);
        if (i >= object.len || object.ptr[i] != ':') {
            return 0;
        }
        value_start = skip_space(object, i + 1);
        value_end = skip_value(object, value_start);
        if (value_end > object.len || value_end == value_start) {
            return 0;
        }
        if (key_equals(object, key_start, key_end - 1, key, key_len)) {
            *value = json_span_of(object.ptr + value_start, value_end - value_start);
            return 1;
        }
        i = skip_space(object, value_end);
        if (i >= object.len || object.ptr[i] != ',') {
            return 0;
        }
        i = skip_space(object, i + 1);
    }
    return 0;
}

int json_find(json_span doc, const char *path, json_span *value)
{
    json_span current = doc;
    while (*path != '\0') {
        const char *dot = strchr(path, '.');
        size_t key_len = dot != NULL ? (size_t)(dot - path) : strlen(path);
        if (!find_member(current, path, key_len, &current)) {
            return 0;
        }
        path += key_len;
        if (*path == '.') {
            path++;
        }
    }
    *value = current;
    return 1;
}

int json_array_next(json_span array, size_t *pos, json_span *item)
{
    size_t i = *pos;
    size_t end;
    if (i == 0) {
        i = skip_space(array, 0);
        if (i >= array.len || array.ptr[i] != '[') {
            return 0;
        }
        i++;
    } else {
        i = skip_space(array, i);
        if (i >= array.len || array.ptr[i] != ',') {
            return 0;
        }
        i++;
    }
    i = skip_space(array, i);
    if (i >= array.len || array.ptr[i] == ']') {
        return 0;
    }
    end = skip_value(array, i);
    if (end > array.len || end == i) {
        return 0;
    }
    *item = json_span_of(array.ptr + i, end - i);
    *pos = end;
    return 1;
}

int json_is_string(json_span value)
{
    return value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"';
}

int json_is_object(json_span value)
{
    return value.len >= 2 && value.ptr[0] == '{' && value.ptr[value.len - 1] == '}';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads the four hex digits at p; -1 if they are not hex. */
static long read_hex4(const char *p)
{
    long code = 0;
    int k;
    for (k = 0; k < 4; k++) {
        int digit = hex_value(p[k]);
        if (digit < 0) {
            return -1;
        }
        code = code * 16 + digit;
    }
    return code;
}

static size_t put_utf8(char *out, unsigned long code)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* Decodes the \u escape at in[i] == 'u' (a surrogate pair when present);
   advances *i past it. 0 for a malformed or NUL escape. */
static size_t decode_unicode(const char *in, size_t end, size_t *i, char *out)
{
    long code;
    if (*i + 4 >= end || (code = read_hex4(in + *i + 1)) <= 0) {
        return 0;
    }
    *i += 4;
    if (code >= 0xD800 && code <= 0xDBFF && *i + 6 < end && in[*i + 1] == '\\' &&
        in[*i + 2] == 'u') {
        long low = read_hex4(in + *i + 3);
        if (low >= 0xDC00 && low <= 0xDFFF) {
            *i += 6;
            return put_utf8(out, 0x10000UL + (((unsigned long)code - 0xD800UL) << 10) +
                                     ((unsigned long)low - 0xDC00UL));
        }
    }
    return put_utf8(out, (unsigned long)code);
}

static int simple_escape(char c, char *out)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    const char *hit = strchr(from, c);
    if (c == '\0' || hit == NULL) {
        return 0;
    }
    *out = to[hit - from];
    return 1;
}

char *json_string_dup(json_span value)
{
    const char *in;
    size_t end;
    size_t i;
    size_t n = 0;
    char *out;
    if (!json_is_string(value)) {
        return NULL;
    }
    in = value.ptr + 1;
    end = value.len - 2;
    /* An escape never decodes to more bytes than it takes. */
    out = malloc(end + 1);
    if (out == NULL) {
        return NULL;
    }
    for (i = 0; i < end; i++) {
        if (in[i] == '\0') {
            break;
        }
        if (in[i] != '\\') {
            out[n++] = in[i];
            continue;
        }
        if (++i >= end) {
            break;
        }
        if (in[i] == 'u') {
            size_t wrote = decode_unicode(in, end, &i, out + n);
            if (wrote == 0) {
                break;
            }
            n += wrote;
        } else if (!simple_escape(in[i], out + n++)) {
            break;
        }
    }
    if (i < end) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    return out;
}

int json_int64(json_span value, int64_t *out)
{
    char digits[24];
    char *end = NULL;
    long long parsed;
    if (value.len == 0 || value.len >= sizeof digits) {
        return 0;
    }
    memcpy(digits, value.ptr, value.len);
    digits[value.len] = '\0';
    if (!(digits[0] == '-' || (digits[0] >= '0' && digits[0] <= '9'))) {
        return 0;
    }
    errno = 0;
    parsed = strtoll(digits, &end, 10);
    if (errno != 0 || end == digits || *end != '\0') {
        return 0;
    }
    *out = (int64_t)parsed;
    return 1;
}

char *json_find_string(json_span doc, const char *path)
{
    json_span value;
    return json_find(doc, path, &value) ? json_string_dup(value) : NULL;
}

int json_find_int64(json_span doc, const char *path, int64_t *out)
{
    json_span value;
    return json_find(doc, path, &value) && json_int64(value, out);
}
