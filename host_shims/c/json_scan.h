/*
 * json_scan.h - just enough JSON reading for the host: find a member by a
 * dotted path, read a string or an integer. The host is a C99 reference
 * program with no JSON library; the plugin does the real validation, so
 * these functions only ever answer "found" or "not found", never crash on
 * malformed input, and never read past the given length.
 */
#ifndef OC_HOST_JSON_SCAN_H
#define OC_HOST_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* A slice of a JSON document: not NUL-terminated, not owned. */
typedef struct json_span {
    const char *ptr;
    size_t len;
} json_span;

json_span json_span_of(const char *text, size_t len);

/* Finds the value at a dotted path of object members ("data.order.id") in
   the object `doc`. Returns 1 and sets *value, or 0 if any step is missing,
   is not an object, or the text is malformed. */
int json_find(json_span doc, const char *path, json_span *value);

/* Walks the elements of the array `array`: *pos starts at 0; each call
   sets *item to the next element and returns 1, or returns 0 at the end
   of the array or on malformed text. */
int json_array_next(json_span array, size_t *pos, json_span *item);

/* 1 if the value is a JSON string / object. */
int json_is_string(json_span value);
int json_is_object(json_span value);

/* Decodes a JSON string value into a new NUL-terminated UTF-8 string
   (escapes resolved). NULL if it is not a string, holds a NUL, or on
   out of memory. The caller frees it. */
char *json_string_dup(json_span value);

/* Reads an integer (no fraction or exponent) that fits int64_t. 1 on
   success, 0 otherwise. */
int json_int64(json_span value, int64_t *out);

/* Convenience: json_find + json_string_dup / json_int64. */
char *json_find_string(json_span doc, const char *path);
int json_find_int64(json_span doc, const char *path, int64_t *out);

#endif
