#include "json_quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *json_quote(const char *text)
{
    /* The worst case is a control character written as \u00XX. */
    char *out = malloc(strlen(text) * 6 + 3);
    char *w = out;
    if (out == NULL) {
        return NULL;
    }
    *w++ = '"';
    for (; *text != '\0'; text++) {
        unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)c;
        } else if (c < 0x20) {
            sprintf(w, "\\u%04x", (unsigned)c);
            w += 6;
        } else {
            *w++ = (char)c;
        }
    }
    *w++ = '"';
    *w = '\0';
    return out;
}
