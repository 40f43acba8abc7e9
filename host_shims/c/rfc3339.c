#include "rfc3339.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
   well-known days_from_civil algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era;
    int64_t yoe;
    int64_t doy;
    int64_t doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly `width` digits at text[*i]; -1 if they are not digits. */
static int64_t read_digits(const char *text, size_t len, size_t *i, int width)
{
    int64_t value = 0;
    int k;
    for (k = 0; k < width; k++, (*i)++) {
        if (*i >= len || text[*i] < '0' || text[*i] > '9') {
            return -1;
        }
        value = value * 10 + (text[*i] - '0');
    }
    return value;
}

static int expect(const char *text, size_t len, size_t *i, char c)
{
    if (*i < len && (text[*i] == c || (c == 'T' && text[*i] == 't'))) {
        (*i)++;
        return 1;
    }
    return 0;
}

/* Fractional seconds after the dot, truncated to milliseconds. */
static int read_fraction(const char *text, size_t len, size_t *i, int64_t *ms)
{
    int64_t scale = 100;
    size_t start = *i;
    *ms = 0;
    while (*i < len && text[*i] >= '0' && text[*i] <= '9') {
        *ms += (text[*i] - '0') * scale;
        scale /= 10;
        (*i)++;
    }
    return *i > start;
}

/* "Z" or "+HH:MM" / "-HH:MM"; *offset_ms is added to local time to get UTC. */
static int read_offset(const char *text, size_t len, size_t *i, int64_t *offset_ms)
{
    int64_t hours;
    int64_t minutes;
    int sign;
    if (*i < len && (text[*i] == 'Z' || text[*i] == 'z')) {
        (*i)++;
        *offset_ms = 0;
        return 1;
    }
    if (*i >= len || (text[*i] != '+' && text[*i] != '-')) {
        return 0;
    }
    sign = text[*i] == '+' ? -1 : 1;
    (*i)++;
    hours = read_digits(text, len, i, 2);
    if (hours < 0 || hours > 23 || !expect(text, len, i, ':')) {
        return 0;
    }
    minutes = read_digits(text, len, i, 2);
    if (minutes < 0 || minutes > 59) {
        return 0;
    }
    *offset_ms = sign * (hours * 60 + minutes) * 60000;
    return 1;
}

static int days_in_month(int64_t y, int64_t m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

int rfc3339_parse(const char *text, size_t len, int64_t *ms)
{
    size_t i = 0;
    int64_t y, mo, d, h, mi, s;
    int64_t frac = 0;
    int64_t offset = 0;
    y = read_digits(text, len, &i, 4);
    if (y < 0 || !expect(text, len, &i, '-')) return 0;
    mo = read_digits(text, len, &i, 2);
    if (mo < 1 || mo > 12 || !expect(text, len, &i, '-')) return 0;
    d = read_digits(text, len, &i, 2);
    if (d < 1 || d > days_in_month(y, mo) || !expect(text, len, &i, 'T')) return 0;
    h = read_digits(text, len, &i, 2);
    if (h < 0 || h > 23 || !expect(text, len, &i, ':')) return 0;
    mi = read_digits(text, len, &i, 2);
    if (mi < 0 || mi > 59 || !expect(text, len, &i, ':')) return 0;
    s = read_digits(text, len, &i, 2);
    if (s < 0 || s > 60) return 0;
    if (expect(text, len, &i, '.') && !read_fraction(text, len, &i, &frac)) return 0;
    if (!read_offset(text, len, &i, &offset) || i != len) return 0;
    /* A leap second (":60") is read as the first millisecond after it. */
    *ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + s * 1000 + frac + offset;
    return 1;
}
