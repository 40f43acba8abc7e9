/*
 * json_quote.h - writes text as a JSON string literal, for the few JSON
 * documents the host composes itself (a config, a rejection reason).
 */
#ifndef OC_HOST_JSON_QUOTE_H
#define OC_HOST_JSON_QUOTE_H

/* A new NUL-terminated string: text quoted and escaped ("a\"b"). NULL on
   out of memory. The caller frees it. */
char *json_quote(const char *text);

#endif
