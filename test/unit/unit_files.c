/*
 * unit_files.c: reading committed files and parsing weight files for the unit tests.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit_files.h"

/* A whole file's bytes (malloc'd), or NULL; paths are relative to the repository root */
uint8_t *
unit_read_file(const char *path, size_t *length)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *bytes;
	long		n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	bytes = malloc(n > 0 ? n : 1);
	*length = fread(bytes, 1, n, f);
	fclose(f);
	return bytes;
}

/* Open and parse a file into st; the strings go into *strings (malloc'd, NULL on failure to open) */
SafetensorsStatus
unit_parse_safetensors(Safetensors *st, const uint8_t *bytes, size_t length, char **strings)
{
	SafetensorsStatus status = safetensors_open(st, bytes, length);

	*strings = NULL;
	if (status != SAFETENSORS_OK)
		return status;
	*strings = malloc(safetensors_strings_size(st));
	return safetensors_parse(st, *strings, safetensors_strings_size(st));
}
