/* techmatch — io layer: the output policy shared by the writers (library-
 * internal; see report.h and README "CLI").
 *
 * Only regular files and real folders are ever replaced: a path that is a
 * symbolic link, a FIFO, a device, a socket (or, for a file, a folder) is
 * refused with a message naming the path and what it is; no link is
 * followed. */
#ifndef TECHMATCH_IO_OUTPUT_SET_H
#define TECHMATCH_IO_OUTPUT_SET_H

#include <glib.h>
#include <techmatch/cancel.h>

/* "a symbolic link", "a FIFO", "a character device", ... for the st_mode
 * @mode of lstat(2). */
G_GNUC_INTERNAL const char *tm_i_file_type_name(unsigned int mode);

/* FALSE with TM_ERROR_IO when @path exists and is not a regular file (not
 * following a symbolic link): "PATH: is a FIFO; only a regular file is
 * replaced".  TRUE when it is a regular file or does not exist. */
G_GNUC_INTERNAL gboolean tm_i_check_replaceable_file(const char *path, GError **error);

/* A file written in pieces and replaced atomically (atomic.c, as
 * tm_file_write_atomic()): tm_i_atomic_open() creates a temporary file
 * beside @path and returns its descriptor (the temporary's name in *@tmp_out)
 * or -1 with TM_ERROR_IO.  tm_i_atomic_finish() takes both back: when @ok and
 * no @write_errno, it flushes, closes and renames the file over @path and
 * flushes the folder; otherwise (and on any failure, TM_ERROR_IO naming
 * @path; none is set when !@ok, the caller's error stands) it removes the
 * temporary.  @path is left as it was on every failure.  Frees @tmp. */
G_GNUC_INTERNAL int tm_i_atomic_open(const char *path, char **tmp_out, GError **error);
G_GNUC_INTERNAL gboolean tm_i_atomic_finish(const char *path, char *tmp, int fd, gboolean ok,
                                            int write_errno, GError **error);

/* Writes the @n documents @docs named @names into the folder @dir as one
 * set; document i is @lens[i] bytes long, or NUL-terminated when @lens is
 * NULL or @lens[i] is negative (binary documents, assignments.xlsx, need a
 * length): every document goes into a fresh sibling folder
 * DIR.tmp-XXXXXX, which then takes the place of @dir by an atomic exchange
 * (renameat2 RENAME_EXCHANGE; where the file system lacks it, two renames
 * through DIR.old-XXXXXX, undone on failure), and the old set is removed.
 * A failure at any point leaves @dir as it was (the complete old set, or
 * nothing) and no temporary folder.  An existing @dir must be a real folder
 * holding nothing but regular files named in @names (the outputs of an
 * earlier run); anything else is refused untouched.  The parent folders are
 * created.  Errors: TM_ERROR_IO, TM_ERROR_INVALID_ARGUMENT. */
G_GNUC_INTERNAL gboolean tm_i_write_document_set(const char *dir, const char *const *names,
                                                 const char *const *docs, const gssize *lens,
                                                 int n, GError **error);

/* The documents of @selection as one set into @dir (output.h): the
 * assignments CSV, JSON and workbook (xlsx), @report (NULL: tm_selection_report_markdown_with())
 * as report.md, and the draft agreements from the options' template in
 * agreements/ (agreement.h).  @options may be NULL.  Errors: as the writers
 * and the set. */
typedef struct TmSelection TmSelection;
typedef struct TmOutputOptions TmOutputOptions;
typedef struct TmFormDiagnostics TmFormDiagnostics;
G_GNUC_INTERNAL gboolean tm_i_write_selection_set(const TmSelection *selection, const char *dir,
                                                  const char *report,
                                                  const TmOutputOptions *options,
                                                  GError **error);

/* The agreement template's name for messages, and the diagnostics, of
 * @options (NULL-safe; output_options.c). */
G_GNUC_INTERNAL const char *tm_i_output_template_name(const TmOutputOptions *options);
G_GNUC_INTERNAL const TmFormDiagnostics *tm_i_output_diagnostics(const TmOutputOptions *options);
/* The write progress callback of @options and, in *@user_data, its data
 * (NULL-safe: NULL, no callback). */
G_GNUC_INTERNAL TmProgressFunc tm_i_output_progress(const TmOutputOptions *options,
                                                    gpointer *user_data);

#endif /* TECHMATCH_IO_OUTPUT_SET_H */
