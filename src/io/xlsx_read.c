/* techmatch — a streaming reader of .xlsx workbooks (see xlsx_read.h):
 * libzip opens the package from memory, libxml2's xmlTextReader reads each
 * part as it inflates. */
#include "io/xlsx_read.h"

#include <math.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include <techmatch/error.h>

/* ---- the parts of the package ---------------------------------------------- */

/* What the XML reader pulls from an inflating part. */
typedef struct {
    zip_file_t *zf;
    gint64 count;     /* bytes inflated so far */
    gboolean too_big; /* more than TM_XLSX_PART_MAX */
    char *zip_error;  /* inflating failed (damaged data, CRC, password) */
} PartIn;

typedef struct {
    const char *name; /* the part name (borrowed) */
    PartIn in;
    xmlTextReaderPtr r;
    char *xml_error; /* the first XML error, with its line */
    gboolean dtd;    /* a DTD was found (refused) */
} Part;

typedef struct {
    gboolean worksheet;
    gboolean visible;
    char *name;
    char *part; /* NULL when the relationship is missing */
} SheetInfo;

struct TmXlsx {
    zip_t *zip;
    GArray *sheets;   /* SheetInfo */
    GString *sst;     /* the shared strings, each followed by a NUL */
    GArray *sst_off;  /* gsize */
    GArray *sst_len;  /* gsize */
};

typedef struct {
    int col;    /* 1-based */
    gsize off;  /* into TmXlsxSheet.text */
    gsize len;
} Cell;

struct TmXlsxSheet {
    TmXlsx *book;
    char *name;
    char *part_name;
    Part part;
    gboolean done;
    int row;      /* the row being read, or the last one read */
    int error_row; /* the row of a damaged cell or row (0: the XML as a whole) */
    GArray *cells; /* Cell, of the row being read */
    GString *text; /* their text */
};

gboolean tm_xlsx_is_zip(const char *data, gsize len)
{
    return len >= 4 && data[0] == 'P' && data[1] == 'K'
           && ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));
}

gboolean tm_xlsx_is_ole2(const char *data, gsize len)
{
    static const guchar magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    return len >= 8 && memcmp(data, magic, 8) == 0;
}

void tm_xlsx_column_name(int column, char buf[8])
{
    char tmp[8];
    int n = 0;
    while (column > 0 && n < 7) {
        column--;
        tmp[n++] = (char)('A' + column % 26);
        column /= 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
}

static void init_libxml(void)
{
    static gsize done = 0;
    if (g_once_init_enter(&done)) {
        xmlInitParser();
        g_once_init_leave(&done, 1);
    }
}

static int part_read(void *ctx, char *buf, int len)
{
    PartIn *in = ctx;
    if (len <= 0)
        return 0;
    zip_int64_t n = zip_fread(in->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        if (in->zip_error == NULL)
            in->zip_error = g_strdup(zip_error_strerror(zip_file_get_error(in->zf)));
        return -1;
    }
    in->count += n;
    if (in->count > TM_XLSX_PART_MAX) {
        in->too_big = TRUE;
        return -1;
    }
    return (int)n;
}

static void part_error(void *arg, xmlErrorPtr err)
{
    Part *p = arg;
    if (p->xml_error != NULL || err == NULL || err->level < XML_ERR_ERROR)
        return;
    char *msg = g_strchomp(g_strdup(err->message ? err->message : "error"));
    p->xml_error = g_strdup_printf("line %d: %s", err->line, msg);
    g_free(msg);
}

/* The message for a part that could not be read to its end. */
static void part_fail(Part *p, GError **error)
{
    if (p->in.too_big)
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "part %s inflates to more than %" G_GINT64_FORMAT " bytes: refused (a "
                    "damaged workbook or a zip bomb)",
                    p->name, TM_XLSX_PART_MAX);
    else if (p->in.zip_error != NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "cannot inflate part %s: %s (a damaged "
                    "workbook?)", p->name, p->in.zip_error);
    else if (p->dtd)
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "part %s has a document type declaration (DTD), which a workbook never "
                    "has: refused", p->name);
    else
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "part %s is not well-formed XML (%s)",
                    p->name, p->xml_error ? p->xml_error : "the XML ends too early");
}

static void part_close(Part *p)
{
    if (p->r != NULL)
        xmlFreeTextReader(p->r);
    if (p->in.zf != NULL)
        zip_fclose(p->in.zf);
    g_free(p->in.zip_error);
    g_free(p->xml_error);
    memset(p, 0, sizeof *p);
}

/* Opens part @name of the package.  FALSE with *@missing when the package
 * has no such part (@error not set), or with @error. */
static gboolean part_open(TmXlsx *book, const char *name, Part *p, gboolean *missing,
                          GError **error)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    *missing = FALSE;
    zip_int64_t idx = zip_name_locate(book->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        *missing = TRUE;
        return FALSE;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(book->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)
        && st.size > (zip_uint64_t)TM_XLSX_PART_MAX) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "part %s would inflate to %" G_GUINT64_FORMAT " bytes, more than the limit "
                    "of %" G_GINT64_FORMAT ": refused (a damaged workbook or a zip bomb)",
                    name, (guint64)st.size, TM_XLSX_PART_MAX);
        return FALSE;
    }
    p->in.zf = zip_fopen_index(book->zip, (zip_uint64_t)idx, 0);
    if (p->in.zf == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "cannot open part %s: %s", name,
                    zip_strerror(book->zip));
        return FALSE;
    }
    p->r = xmlReaderForIO(part_read, NULL, &p->in, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (p->r == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "cannot read part %s (out of memory?)",
                    name);
        part_close(p);
        return FALSE;
    }
    xmlTextReaderSetStructuredErrorHandler(p->r, part_error, p);
    return TRUE;
}

/* The next node: 1, 0 at the end, -1 on an error (then part_fail()). */
static int part_next(Part *p)
{
    int rc = xmlTextReaderRead(p->r);
    if (rc == 1 && xmlTextReaderNodeType(p->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        p->dtd = TRUE;
        return -1;
    }
    if (rc == 0 && (p->in.too_big || p->in.zip_error != NULL || p->xml_error != NULL))
        return -1;
    return rc;
}

static const char *local_name(const Part *p)
{
    const xmlChar *n = xmlTextReaderConstLocalName(p->r);
    return n ? (const char *)n : "";
}

static gboolean is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
           || type == XML_READER_TYPE_WHITESPACE
           || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The attribute of local name @local of the current element (any
 * namespace), a copy; NULL when absent. */
static char *attr(const Part *p, const char *local)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(p->r) != 1)
        return NULL;
    do {
        const xmlChar *n = xmlTextReaderConstLocalName(p->r);
        if (n != NULL && strcmp((const char *)n, local) == 0) {
            const xmlChar *val = xmlTextReaderConstValue(p->r);
            v = g_strdup(val ? (const char *)val : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(p->r) == 1);
    xmlTextReaderMoveToElement(p->r);
    return v;
}

static gboolean ends_with(const char *s, const char *tail)
{
    gsize n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Decodes the `_xHHHH_` escapes of OOXML strings (a control character, or
 * `_x005F_` for a literal `_`) in @s. */
static void decode_escapes(GString *s)
{
    if (strstr(s->str, "_x") == NULL)
        return;
    GString *out = g_string_sized_new(s->len);
    for (gsize i = 0; i < s->len;) {
        if (s->str[i] == '_' && i + 6 < s->len && s->str[i + 1] == 'x'
            && g_ascii_isxdigit(s->str[i + 2]) && g_ascii_isxdigit(s->str[i + 3])
            && g_ascii_isxdigit(s->str[i + 4]) && g_ascii_isxdigit(s->str[i + 5])
            && s->str[i + 6] == '_') {
            gunichar c = 0;
            for (int k = 2; k < 6; k++)
                c = c * 16 + (gunichar)g_ascii_xdigit_value(s->str[i + k]);
            if (c < 0xD800 || c > 0xDFFF) {
                if (c == 0)
                    g_string_append_c(out, '\0');
                else
                    g_string_append_unichar(out, c);
                i += 7;
                continue;
            }
        }
        g_string_append_c(out, s->str[i++]);
    }
    g_string_truncate(s, 0);
    g_string_append_len(s, out->str, (gssize)out->len);
    g_string_free(out, TRUE);
}

/* Joins @dir (ending in '/', or "") and @target, resolving "." and "..";
 * a target starting with '/' is from the package root. */
static char *resolve_target(const char *dir, const char *target)
{
    char *joined = target[0] == '/' ? g_strdup(target + 1) : g_strconcat(dir, target, NULL);
    char **seg = g_strsplit(joined, "/", -1);
    g_free(joined);
    GPtrArray *keep = g_ptr_array_new();
    for (char **s = seg; *s; s++) {
        if (**s == '\0' || strcmp(*s, ".") == 0)
            continue;
        if (strcmp(*s, "..") == 0) {
            if (keep->len > 0)
                g_ptr_array_set_size(keep, (gint)keep->len - 1);
            continue;
        }
        g_ptr_array_add(keep, *s);
    }
    g_ptr_array_add(keep, NULL);
    char *out = g_strjoinv("/", (char **)keep->pdata);
    g_ptr_array_free(keep, TRUE);
    g_strfreev(seg);
    return out;
}

/* The folder of part @name, with its '/' ("" at the root). */
static char *part_dir(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? g_strndup(name, (gsize)(slash - name + 1)) : g_strdup("");
}

/* The relationships of part @name: Id -> resolved target, and Id -> type.
 * A missing .rels part is no relationships.  FALSE with @error. */
static gboolean read_rels(TmXlsx *book, const char *name, GHashTable *targets, GHashTable *types,
                          GError **error)
{
    char *dir = part_dir(name);
    const char *base = name + strlen(dir);
    char *rels = g_strdup_printf("%s_rels/%s.rels", dir, base);
    Part p;
    gboolean missing, ok = TRUE;
    if (!part_open(book, rels, &p, &missing, error)) {
        ok = missing;
        goto out;
    }
    int rc;
    while ((rc = part_next(&p)) == 1) {
        if (xmlTextReaderNodeType(p.r) != XML_READER_TYPE_ELEMENT
            || strcmp(local_name(&p), "Relationship") != 0)
            continue;
        char *id = attr(&p, "Id"), *type = attr(&p, "Type"), *target = attr(&p, "Target");
        char *mode = attr(&p, "TargetMode");
        if (id != NULL && target != NULL && (mode == NULL || strcmp(mode, "External") != 0)) {
            g_hash_table_replace(types, g_strdup(id), g_strdup(type ? type : ""));
            g_hash_table_replace(targets, id, resolve_target(dir, target));
            id = NULL;
        }
        g_free(id);
        g_free(type);
        g_free(target);
        g_free(mode);
    }
    if (rc < 0) {
        part_fail(&p, error);
        ok = FALSE;
    }
    part_close(&p);
out:
    g_free(rels);
    g_free(dir);
    return ok;
}

/* The main part (the workbook), from the package's relationships. */
static char *find_workbook(TmXlsx *book, GError **error)
{
    GHashTable *targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char *found = NULL;
    if (read_rels(book, "", targets, types, error)) {
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, types);
        while (found == NULL && g_hash_table_iter_next(&it, &k, &v))
            if (ends_with(v, "/officeDocument"))
                found = g_strdup(g_hash_table_lookup(targets, k));
        if (found == NULL)
            found = g_strdup("xl/workbook.xml");
    }
    g_hash_table_destroy(targets);
    g_hash_table_destroy(types);
    return found;
}

static void sheet_info_clear(gpointer p)
{
    SheetInfo *s = p;
    g_free(s->name);
    g_free(s->part);
}

/* The sheets of the workbook, in order, with their parts; and the shared
 * strings part into *@sst_out (NULL when there is none). */
static gboolean read_workbook(TmXlsx *book, const char *wb, char **sst_out, GError **error)
{
    GHashTable *targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTable *types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    gboolean ok = read_rels(book, wb, targets, types, error);
    Part p;
    gboolean missing;
    *sst_out = NULL;
    if (ok && !part_open(book, wb, &p, &missing, error)) {
        if (missing)
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "not a spreadsheet: the package has no workbook part (%s)", wb);
        ok = FALSE;
    }
    if (ok) {
        int rc;
        while ((rc = part_next(&p)) == 1) {
            if (xmlTextReaderNodeType(p.r) != XML_READER_TYPE_ELEMENT
                || strcmp(local_name(&p), "sheet") != 0)
                continue;
            SheetInfo s = {FALSE, TRUE, attr(&p, "name"), NULL};
            char *state = attr(&p, "state"), *id = attr(&p, "id");
            if (s.name == NULL)
                s.name = g_strdup_printf("(sheet %u)", book->sheets->len + 1);
            s.visible = state == NULL || strcmp(state, "visible") == 0;
            const char *type = id ? g_hash_table_lookup(types, id) : NULL;
            s.worksheet = type == NULL || ends_with(type, "/worksheet");
            if (id != NULL && g_hash_table_lookup(targets, id) != NULL)
                s.part = g_strdup(g_hash_table_lookup(targets, id));
            g_array_append_val(book->sheets, s);
            g_free(state);
            g_free(id);
        }
        if (rc < 0) {
            part_fail(&p, error);
            ok = FALSE;
        }
        part_close(&p);
    }
    if (ok) {
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, types);
        while (*sst_out == NULL && g_hash_table_iter_next(&it, &k, &v))
            if (ends_with(v, "/sharedStrings"))
                *sst_out = g_strdup(g_hash_table_lookup(targets, k));
    }
    g_hash_table_destroy(targets);
    g_hash_table_destroy(types);
    return ok;
}

/* Appends @s (decoded) to the shared strings. */
static void sst_add(TmXlsx *book, GString *s)
{
    decode_escapes(s);
    gsize off = book->sst->len, len = s->len;
    g_string_append_len(book->sst, s->str, (gssize)s->len);
    g_string_append_c(book->sst, '\0');
    g_array_append_val(book->sst_off, off);
    g_array_append_val(book->sst_len, len);
}

/* The shared strings: the text of each <si>, its <t> runs joined, phonetic
 * runs (<rPh>) left out. */
static gboolean read_shared_strings(TmXlsx *book, const char *name, GError **error)
{
    Part p;
    gboolean missing;
    if (!part_open(book, name, &p, &missing, error))
        return missing;
    GString *cur = g_string_new(NULL);
    gboolean in_si = FALSE;
    int t_depth = -1, rph_depth = -1, rc;
    while ((rc = part_next(&p)) == 1) {
        int type = xmlTextReaderNodeType(p.r), depth = xmlTextReaderDepth(p.r);
        const char *n = local_name(&p);
        gboolean empty = xmlTextReaderIsEmptyElement(p.r) == 1;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (strcmp(n, "si") == 0) {
                g_string_truncate(cur, 0);
                in_si = !empty;
                t_depth = rph_depth = -1;
                if (empty)
                    sst_add(book, cur);
            } else if (in_si && strcmp(n, "rPh") == 0 && !empty) {
                rph_depth = depth;
            } else if (in_si && rph_depth < 0 && strcmp(n, "t") == 0 && !empty) {
                t_depth = depth;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (t_depth >= 0 && depth == t_depth) {
                t_depth = -1;
            } else if (rph_depth >= 0 && depth == rph_depth) {
                rph_depth = -1;
            } else if (in_si && strcmp(n, "si") == 0) {
                sst_add(book, cur);
                in_si = FALSE;
            }
        } else if (t_depth >= 0 && is_text_node(type)) {
            const xmlChar *v = xmlTextReaderConstValue(p.r);
            if (v != NULL)
                g_string_append(cur, (const char *)v);
        }
    }
    gboolean ok = rc == 0;
    if (!ok)
        part_fail(&p, error);
    g_string_free(cur, TRUE);
    part_close(&p);
    return ok;
}

/* Refuses the zip packages that are spreadsheets in another format: an
 * Excel binary workbook (.xlsb) and an OpenDocument one (.ods). */
static gboolean known_format(TmXlsx *book, const char *wb, GError **error)
{
    const char *how = "save it as .xlsx (Excel workbook) or as CSV UTF-8";
    if (g_str_has_suffix(wb, ".bin")) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "an Excel binary workbook (.xlsb), which cannot be read: %s", how);
        return FALSE;
    }
    if (zip_name_locate(book->zip, wb, ZIP_FL_NOCASE) < 0
        && zip_name_locate(book->zip, "content.xml", 0) >= 0
        && zip_name_locate(book->zip, "mimetype", 0) >= 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "an OpenDocument file (.ods), which cannot be read: %s", how);
        return FALSE;
    }
    return TRUE;
}

TmXlsx *tm_xlsx_open(const char *data, gsize len, GError **error)
{
    init_libxml();
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    if (zip == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "not a valid .xlsx workbook (zip: %s)",
                    zip_error_strerror(&zerr));
        if (src != NULL)
            zip_source_free(src);
        zip_error_fini(&zerr);
        return NULL;
    }
    zip_error_fini(&zerr);
    TmXlsx *book = g_new0(TmXlsx, 1);
    book->zip = zip;
    book->sheets = g_array_new(FALSE, FALSE, sizeof(SheetInfo));
    g_array_set_clear_func(book->sheets, sheet_info_clear);
    book->sst = g_string_new(NULL);
    book->sst_off = g_array_new(FALSE, FALSE, sizeof(gsize));
    book->sst_len = g_array_new(FALSE, FALSE, sizeof(gsize));
    char *wb = find_workbook(book, error);
    if (wb != NULL && !known_format(book, wb, error))
        g_clear_pointer(&wb, g_free);
    char *sst = NULL;
    gboolean ok = wb != NULL && read_workbook(book, wb, &sst, error);
    if (ok && sst == NULL) { /* no relationship: the usual place, if there */
        char *dir = part_dir(wb);
        sst = g_strconcat(dir, "sharedStrings.xml", NULL);
        g_free(dir);
    }
    ok = ok && read_shared_strings(book, sst, error);
    g_free(wb);
    g_free(sst);
    if (!ok) {
        tm_xlsx_free(book);
        return NULL;
    }
    return book;
}

void tm_xlsx_free(TmXlsx *book)
{
    if (book == NULL)
        return;
    zip_discard(book->zip); /* frees the buffer source too */
    g_array_unref(book->sheets);
    g_string_free(book->sst, TRUE);
    g_array_unref(book->sst_off);
    g_array_unref(book->sst_len);
    g_free(book);
}

/* ---- one sheet ---------------------------------------------------------------- */

static char *sheet_list(const TmXlsx *book)
{
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < book->sheets->len; i++) {
        const SheetInfo *s = &g_array_index(book->sheets, SheetInfo, i);
        g_string_append_printf(g, "%s'%s'%s", i ? ", " : "", s->name,
                               !s->worksheet ? " (a chart)" : !s->visible ? " (hidden)" : "");
    }
    return g_string_free(g, FALSE);
}

static gboolean same_name_nocase(const char *a, const char *b)
{
    char *fa = g_utf8_casefold(a, -1), *fb = g_utf8_casefold(b, -1);
    gboolean same = strcmp(fa, fb) == 0;
    g_free(fa);
    g_free(fb);
    return same;
}

TmXlsxSheet *tm_xlsx_sheet_open(TmXlsx *book, const char *name, int *n_visible_out,
                                GError **error)
{
    int found = -1, n_visible = 0;
    for (guint i = 0; i < book->sheets->len; i++) {
        const SheetInfo *s = &g_array_index(book->sheets, SheetInfo, i);
        if (s->worksheet && s->visible)
            n_visible++;
        if (name == NULL && found < 0 && s->worksheet && s->visible)
            found = (int)i;
        if (name != NULL && found < 0 && strcmp(s->name, name) == 0)
            found = (int)i;
    }
    for (guint i = 0; name != NULL && found < 0 && i < book->sheets->len; i++)
        if (same_name_nocase(g_array_index(book->sheets, SheetInfo, i).name, name))
            found = (int)i;
    if (n_visible_out != NULL)
        *n_visible_out = n_visible;
    if (found < 0) {
        char *list = sheet_list(book);
        if (name != NULL)
            g_set_error(error, TM_ERROR, TM_ERROR_IO, "the workbook has no sheet named '%s' "
                        "(its sheets: %s)", name, book->sheets->len ? list : "none");
        else
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "the workbook has no visible "
                        "worksheet (its sheets: %s)", book->sheets->len ? list : "none");
        g_free(list);
        return NULL;
    }
    const SheetInfo *s = &g_array_index(book->sheets, SheetInfo, found);
    if (!s->worksheet) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "sheet '%s' is a chart sheet, not a table",
                    s->name);
        return NULL;
    }
    if (s->part == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "sheet '%s' has no part in the package "
                    "(a damaged workbook)", s->name);
        return NULL;
    }
    TmXlsxSheet *sh = g_new0(TmXlsxSheet, 1);
    sh->book = book;
    sh->name = g_strdup(s->name);
    sh->part_name = g_strdup(s->part);
    gboolean missing;
    if (!part_open(book, sh->part_name, &sh->part, &missing, error)) {
        if (missing)
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "sheet '%s': its part %s is missing "
                        "from the package (a damaged workbook)", sh->name, sh->part_name);
        g_free(sh->name);
        g_free(sh->part_name);
        g_free(sh);
        return NULL;
    }
    sh->part.name = sh->part_name;
    sh->cells = g_array_new(FALSE, FALSE, sizeof(Cell));
    sh->text = g_string_new(NULL);
    return sh;
}

const char *tm_xlsx_sheet_name(const TmXlsxSheet *sheet)
{
    return sheet->name;
}

int tm_xlsx_sheet_error_row(const TmXlsxSheet *sheet)
{
    return sheet->error_row;
}

void tm_xlsx_sheet_free(TmXlsxSheet *sheet)
{
    if (sheet == NULL)
        return;
    part_close(&sheet->part);
    if (sheet->cells != NULL)
        g_array_unref(sheet->cells);
    if (sheet->text != NULL)
        g_string_free(sheet->text, TRUE);
    g_free(sheet->name);
    g_free(sheet->part_name);
    g_free(sheet);
}

/* A whole number in @s (1..@max); 0 when it is not one. */
static int parse_index(const char *s, int max)
{
    if (s == NULL || *s == '\0')
        return 0;
    gint64 v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
        if (v > max)
            return 0;
    }
    return (int)v;
}

/* The column of cell reference @ref ("C5": 3); 0 when it is not one, or its
 * row is not @row. */
static int parse_ref(const char *ref, int row)
{
    int col = 0, i = 0;
    while (i < 4 && g_ascii_isalpha(ref[i])) {
        col = col * 26 + (g_ascii_toupper(ref[i]) - 'A' + 1);
        i++;
    }
    if (i == 0 || col > TM_XLSX_MAX_COLS)
        return 0;
    if (ref[i] != '\0' && parse_index(ref + i, TM_XLSX_MAX_ROWS) != row)
        return 0;
    return col;
}

/* A number as written, except a whole number: no fraction, no exponent. */
static void number_text(const char *v, GString *out)
{
    gsize n = strlen(v);
    gboolean plain = n > 0;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isdigit(v[i]) && !(i == 0 && v[i] == '-' && n > 1))
            plain = FALSE;
    char *end = NULL;
    double d = plain ? 0.0 : g_ascii_strtod(v, &end);
    if (!plain && end == v + n && n > 0 && isfinite(d) && d == floor(d) && fabs(d) < 1e15)
        g_string_append_printf(out, "%" G_GINT64_FORMAT, (gint64)d);
    else
        g_string_append(out, v);
}

typedef struct {
    int col;
    char *type;
    GString *v;     /* text of <v> */
    GString *is;    /* text of <is> (inline string) */
    int v_depth, t_depth, rph_depth, is_depth;
} CellState;

static gboolean cell_error(TmXlsxSheet *sh, GError **error, const char *format, int col,
                           const char *extra)
{
    char ref[8];
    tm_xlsx_column_name(col, ref);
    char *what = g_strdup_printf(format, ref, sh->row, extra);
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "sheet '%s', %s (a damaged sheet)", sh->name,
                what);
    g_free(what);
    return FALSE;
}

/* Ends cell @c: its text appended to the row (when not empty). */
static gboolean finish_cell(TmXlsxSheet *sh, CellState *c, GError **error)
{
    const char *t = c->type ? c->type : "n";
    GString *text = g_string_new(NULL);
    gboolean ok = TRUE;
    if (strcmp(t, "s") == 0) {
        char *s = g_strstrip(g_strdup(c->v->str));
        if (*s != '\0') {
            int idx = parse_index(s, G_MAXINT - 1);
            gboolean zero = strcmp(s, "0") == 0 || (idx == 0 && strspn(s, "0") == strlen(s));
            if ((idx == 0 && !zero) || (guint)idx >= sh->book->sst_off->len) {
                ok = cell_error(sh, error, "cell %s%d refers to shared string %s, which the "
                                "workbook does not have", c->col, s);
            } else {
                g_string_append_len(text, sh->book->sst->str
                                              + g_array_index(sh->book->sst_off, gsize, idx),
                                    (gssize)g_array_index(sh->book->sst_len, gsize, idx));
            }
        }
        g_free(s);
    } else if (strcmp(t, "inlineStr") == 0) {
        g_string_append_len(text, c->is->str, (gssize)c->is->len);
        decode_escapes(text);
    } else if (strcmp(t, "b") == 0) {
        char *s = g_strstrip(g_strdup(c->v->str));
        g_string_append(text, strcmp(s, "1") == 0 ? "TRUE" : strcmp(s, "0") == 0 ? "FALSE" : s);
        g_free(s);
    } else if (strcmp(t, "n") == 0) {
        char *s = g_strstrip(g_strdup(c->v->str));
        number_text(s, text);
        g_free(s);
    } else { /* str (a formula's text), e (#N/A), d (an ISO date), ... */
        g_string_append_len(text, c->v->str, (gssize)c->v->len);
        decode_escapes(text);
    }
    if (ok && text->len > 0) {
        Cell cell = {c->col, sh->text->len, text->len};
        g_string_append_len(sh->text, text->str, (gssize)text->len);
        g_array_append_val(sh->cells, cell);
    }
    g_string_free(text, TRUE);
    return ok;
}

static void cell_state_clear(CellState *c)
{
    g_free(c->type);
    c->type = NULL;
    g_string_truncate(c->v, 0);
    g_string_truncate(c->is, 0);
    c->v_depth = c->t_depth = c->rph_depth = c->is_depth = -1;
    c->col = 0;
}

/* The row of cells read into @rec. */
static void emit_row(TmXlsxSheet *sh, TmCsvRecord *rec)
{
    tm_csv_record_reset(rec, sh->row);
    int next = 1;
    for (guint i = 0; i < sh->cells->len; i++) {
        const Cell *c = &g_array_index(sh->cells, Cell, i);
        for (; next < c->col; next++)
            tm_csv_record_add(rec, "", 0);
        tm_csv_record_add(rec, sh->text->str + c->off, c->len);
        next = c->col + 1;
    }
}

gboolean tm_xlsx_sheet_next(TmXlsxSheet *sh, TmCsvRecord *rec, GError **error)
{
    if (sh->done)
        return FALSE;
    CellState c = {0, NULL, g_string_new(NULL), g_string_new(NULL), -1, -1, -1, -1};
    gboolean in_row = FALSE, in_cell = FALSE, got = FALSE, failed = FALSE;
    int next_col = 1, rc = 1;
    while (!got && !failed && (rc = part_next(&sh->part)) == 1) {
        xmlTextReaderPtr r = sh->part.r;
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        const char *n = local_name(&sh->part);
        gboolean empty = xmlTextReaderIsEmptyElement(r) == 1;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!in_row && strcmp(n, "row") == 0) {
                char *rs = attr(&sh->part, "r");
                int row = rs ? parse_index(rs, TM_XLSX_MAX_ROWS) : sh->row + 1;
                if (row <= sh->row || row > TM_XLSX_MAX_ROWS) {
                    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                                "sheet '%s': row number '%s' after row %d (a damaged sheet)",
                                sh->name, rs ? rs : "(none)", sh->row);
                    failed = TRUE;
                }
                g_free(rs);
                if (failed)
                    break;
                sh->row = row;
                g_array_set_size(sh->cells, 0);
                g_string_truncate(sh->text, 0);
                next_col = 1;
                in_row = !empty;
            } else if (in_row && !in_cell && strcmp(n, "c") == 0) {
                cell_state_clear(&c);
                char *ref = attr(&sh->part, "r");
                c.col = ref ? parse_ref(ref, sh->row) : next_col;
                c.type = attr(&sh->part, "t");
                if (c.col == 0 || c.col < next_col) {
                    if (c.col == 0)
                        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "sheet '%s', row %d: bad "
                                    "cell reference '%s' (a damaged sheet)", sh->name, sh->row,
                                    ref);
                    else
                        cell_error(sh, error, "cell %s%d comes after a cell to its right or "
                                   "is given twice%s", c.col, "");
                    failed = TRUE;
                }
                g_free(ref);
                if (failed)
                    break;
                next_col = c.col + 1;
                in_cell = !empty;
            } else if (in_cell && c.is_depth < 0 && strcmp(n, "v") == 0 && !empty) {
                c.v_depth = depth;
            } else if (in_cell && c.is_depth < 0 && strcmp(n, "is") == 0 && !empty) {
                c.is_depth = depth;
            } else if (c.is_depth >= 0 && strcmp(n, "rPh") == 0 && !empty) {
                c.rph_depth = depth;
            } else if (c.is_depth >= 0 && c.rph_depth < 0 && strcmp(n, "t") == 0 && !empty) {
                c.t_depth = depth;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (c.v_depth == depth) {
                c.v_depth = -1;
            } else if (c.t_depth == depth) {
                c.t_depth = -1;
            } else if (c.rph_depth == depth) {
                c.rph_depth = -1;
            } else if (c.is_depth == depth) {
                c.is_depth = -1;
            } else if (in_cell && strcmp(n, "c") == 0) {
                in_cell = FALSE;
                failed = !finish_cell(sh, &c, error);
            } else if (in_row && strcmp(n, "row") == 0) {
                in_row = FALSE;
                got = sh->cells->len > 0;
            } else if (strcmp(n, "sheetData") == 0) {
                sh->done = TRUE;
                break;
            }
        } else if (is_text_node(type) && (c.v_depth >= 0 || c.t_depth >= 0)) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v != NULL)
                g_string_append(c.v_depth >= 0 ? c.v : c.is, (const char *)v);
        }
    }
    if (!got && !failed && !sh->done) {
        if (rc < 0) {
            part_fail(&sh->part, error);
            failed = TRUE;
        }
        sh->done = TRUE;
    }
    if (got)
        emit_row(sh, rec);
    if (failed) {
        sh->done = TRUE;
        sh->error_row = rc < 0 ? 0 : sh->row;
    }
    g_free(c.type);
    g_string_free(c.v, TRUE);
    g_string_free(c.is, TRUE);
    return got;
}
