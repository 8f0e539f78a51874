/*
 * unit_files.h: what the unit tests of the weight-file code share: reading a committed
 * file and parsing it as lib/safetensors.c does for the glue.
 */
#ifndef UNIT_FILES_H
#define UNIT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "safetensors.h"

extern uint8_t *unit_read_file(const char *path, size_t *length);
extern SafetensorsStatus unit_parse_safetensors(Safetensors *st, const uint8_t *bytes, size_t length,
												char **strings);

#endif
