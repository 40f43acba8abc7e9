/*
 * host_config.h - the config document the host passes in oc_options:
 * the contents of --config FILE, or {"store":{"path":"<--db PATH>"}}.
 */
#ifndef OC_HOST_HOST_CONFIG_H
#define OC_HOST_HOST_CONFIG_H

#include <stddef.h>

/* Sets *json (malloc'd, the caller frees it) and *len; both NULL/0 when
   neither option is given, which means the plugin's defaults. Giving both
   is refused: merging JSON is the config file's job. 0 on success; -1 with
   a message, *usage_error set when the arguments (not the file) are wrong. */
int host_config_build(const char *config_path, const char *db_path, char **json, size_t *len,
                      int *usage_error, char *error, size_t error_size);

#endif
