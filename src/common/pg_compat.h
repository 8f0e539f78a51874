/*
 * pg_compat.h: what differs between the PostgreSQL majors ngs builds for (15 to 18).
 *
 * The code is written against PostgreSQL 15's API; for a later major this header maps the
 * few names that changed back onto it, so no .c file needs a version test of its own.
 * Include it right after postgres.h in a file that uses one of the names below (or the
 * varlena macros VARSIZE, VARDATA, SET_VARSIZE, ...). 15 and 18 are compiled and tested in
 * CI; 16 and 17 are covered by the same guards (each change is listed with the major that
 * made it) but cannot be compiled here.
 */
#ifndef NGS_PG_COMPAT_H
#define NGS_PG_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "ngs needs PostgreSQL 15 or later"
#endif

#if PG_VERSION_NUM >= 160000

/* 16: the varlena macros (VARSIZE, VARDATA, SET_VARSIZE, ...) left postgres.h for varatt.h */
#include "varatt.h"

/*
 * 16: the per-catalogue ACL checks became one object_aclcheck(classid, ...);
 * pg_proc_aclcheck(proc, role, mode) is object_aclcheck on pg_proc.
 */
#include "catalog/pg_proc_d.h"
#include "utils/acl.h"
#define pg_proc_aclcheck(proc, role, mode) \
	object_aclcheck(ProcedureRelationId, (proc), (role), (mode))

/*
 * 16: float8in_internal() takes a soft-error context as a fifth argument (NULL: errors are
 * thrown, as 15's four-argument form does). The macro has the function's own name so that
 * the calls stay as written; it is defined after the declaration it wraps.
 */
#include "utils/float.h"
#define float8in_internal(num, endptr_p, type_name, orig_string) \
	float8in_internal((num), (endptr_p), (type_name), (orig_string), NULL)

#endif							/* PG_VERSION_NUM >= 160000 */

/*
 * 18: pg_attribute_noreturn() after a declaration gave way to pg_noreturn (C11 _Noreturn)
 * before it; the old form is GCC's and clang's attribute, which both still take there.
 */
#if PG_VERSION_NUM >= 180000 && !defined(pg_attribute_noreturn)
#define pg_attribute_noreturn() __attribute__((noreturn))
#endif

#endif							/* NGS_PG_COMPAT_H */
