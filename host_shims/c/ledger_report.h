/*
 * ledger_report.h - the ledger as an operator reads it: one line per action
 * the host carried out (refunds, then inventory adjustments), in the order
 * they were carried out, followed by the summary of ledger.h.
 */
#ifndef OC_HOST_LEDGER_REPORT_H
#define OC_HOST_LEDGER_REPORT_H

#include <stdio.h>

#include "ledger.h"

/* Prints the actions of the ledger file at l->path (none for a memory-only
   ledger). 0, or -1 with errno set if the file cannot be read. */
int ledger_print_entries(const ledger *l, FILE *out);

#endif
