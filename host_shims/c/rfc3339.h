/*
 * rfc3339.h - RFC 3339 timestamps ("2026-11-20T09:15:00Z",
 * "2026-11-20T10:15:00.250+01:00") to milliseconds since the Unix epoch.
 */
#ifndef OC_HOST_RFC3339_H
#define OC_HOST_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* 1 and *ms on success; 0 if text is not a complete timestamp with an
   offset (section 5.6 requires one). */
int rfc3339_parse(const char *text, size_t len, int64_t *ms);

#endif
