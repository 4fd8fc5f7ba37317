/* Tests of the .xlsx form readers (forms.h, docs/forms.md "Excel workbooks",
 * src/io/xlsx_read.c): small workbooks written here with libzip, part by
 * part, so every cell type, sparse rows, named sheets and each damaged
 * package can be built exactly; and the bundled .xlsx copy of the seed
 * against its CSV forms, agent by agent. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <zip.h>

#include <techmatch/forms.h>
#include <techmatch/preferences.h>

/* src/io/xlsx_read.h: TM_XLSX_PART_MAX */
#define TM_TEST_PART_MAX (256 * 1024 * 1024)

/* ---- writing workbooks --------------------------------------------------- */

typedef struct {
    const char *name;
    const char *data;
} Part;

/* A zip holding @n parts (deflated), as bytes. */
static GBytes *make_zip(const Part *parts, int n)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, parts[i].data, strlen(parts[i].data), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t len = zip_source_tell(src);
    assert_true(len > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *buf = g_malloc((gsize)len);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    return g_bytes_new_take(buf, (gsize)len);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

/* A workbook of sheets @names[i] (NULL-terminated; a name starting with '~'
 * is hidden) with sheet XML bodies @sheets[i] (the <sheetData> content),
 * and shared strings @sst (the <si> elements; NULL: no part). */
static GBytes *make_book(const char *const *names, const char *const *sheets, const char *sst)
{
    GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
    GString *wb = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " NS
                               "><sheets>");
    GString *rels = g_string_new("<?xml version=\"1.0\"?><Relationships xmlns=\"http://"
                                 "schemas.openxmlformats.org/package/2006/relationships\">");
    Part parts[16];
    int n = 0;
    parts[n++] = (Part){"_rels/.rels", ROOT_RELS};
    for (int i = 0; names[i] != NULL; i++) {
        gboolean hidden = names[i][0] == '~';
        g_string_append_printf(wb, "<sheet name=\"%s\" sheetId=\"%d\"%s r:id=\"rId%d\"/>",
                               names[i] + hidden, i + 1, hidden ? " state=\"hidden\"" : "",
                               i + 1);
        g_string_append_printf(rels, "<Relationship Id=\"rId%d\" Type=\"" REL_NS
                               "/worksheet\" Target=\"worksheets/sheet%d.xml\"/>", i + 1, i + 1);
        char *pname = g_strdup_printf("xl/worksheets/sheet%d.xml", i + 1);
        char *xml = g_strdup_printf("<?xml version=\"1.0\"?><worksheet " NS
                                    "><sheetData>%s</sheetData></worksheet>", sheets[i]);
        g_ptr_array_add(keep, pname);
        g_ptr_array_add(keep, xml);
        parts[n++] = (Part){pname, xml};
    }
    g_string_append(wb, "</sheets></workbook>");
    if (sst != NULL) {
        g_string_append(rels, "<Relationship Id=\"rId99\" Type=\"" REL_NS
                        "/sharedStrings\" Target=\"sharedStrings.xml\"/>");
        char *xml = g_strdup_printf("<?xml version=\"1.0\"?><sst " NS ">%s</sst>", sst);
        g_ptr_array_add(keep, xml);
        parts[n++] = (Part){"xl/sharedStrings.xml", xml};
    }
    g_string_append(rels, "</Relationships>");
    parts[n++] = (Part){"xl/workbook.xml", wb->str};
    parts[n++] = (Part){"xl/_rels/workbook.xml.rels", rels->str};
    GBytes *b = make_zip(parts, n);
    g_string_free(wb, TRUE);
    g_string_free(rels, TRUE);
    g_ptr_array_unref(keep);
    return b;
}

static GBytes *one_sheet(const char *name, const char *sheet, const char *sst)
{
    const char *names[] = {name, NULL};
    const char *sheets[] = {sheet};
    return make_book(names, sheets, sst);
}

static char *tmp_dir;

static char *write_bytes(const char *name, GBytes *b)
{
    char *path = g_build_filename(tmp_dir, name, NULL);
    gsize len;
    const char *d = g_bytes_get_data(b, &len);
    assert_true(g_file_set_contents(path, d, (gssize)len, NULL));
    return path;
}

static void print_diags(const TmFormDiagnostics *d)
{
    for (guint i = 0; i < tm_form_diagnostics_count(d); i++) {
        char *s = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, i));
        print_message("  diag: %s\n", s);
        g_free(s);
    }
}

static void assert_contains(const char *hay, const char *needle)
{
    if (hay == NULL || strstr(hay, needle) == NULL) {
        print_error("expected '%s' to contain '%s'\n", hay ? hay : "(null)", needle);
        fail();
    }
}

/* Reads @b as the sites form (the _data entry point, named "t.xlsx"). */
static gboolean read_sites(TmProgramme *p, GBytes *b, TmFormsMode mode, TmFormDiagnostics *d,
                           GError **err)
{
    gsize len;
    const char *data = g_bytes_get_data(b, &len);
    return tm_forms_read_sites_data(p, data, (gssize)len, "t.xlsx", mode, d, err);
}

/* The sites form of @sheet (shared strings @sst) must fail with @code and
 * a message equal to @want; the programme stays empty. */
static void check_sites_error(const char *sheet, const char *sst, int code, const char *want)
{
    GBytes *b = one_sheet("Sheet1", sheet, sst);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_false(read_sites(p, b, TM_FORMS_LENIENT, d, &err));
    assert_non_null(err);
    if (err->code != code || strcmp(err->message, want) != 0) {
        print_error("got %d '%s'\nwant %d '%s'\n", err->code, err->message, code, want);
        fail();
    }
    assert_int_equal(tm_programme_n_sites(p), 0);
    assert_true(tm_form_diagnostics_count(d) >= 1);
    g_error_free(err);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_bytes_unref(b);
}

/* An inline-string cell. */
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define SS(ref, idx) "<c r=\"" ref "\" t=\"s\"><v>" idx "</v></c>"
#define NUM(ref, v) "<c r=\"" ref "\"><v>" v "</v></c>"

/* The header of a small sites form, in row @r: name kind sector clinic
 * capacity x y (A..G). */
#define SITE_HEADER(r)                                                                      \
    "<row r=\"" r "\">" IS("A" r, "name") IS("B" r, "kind") IS("C" r, "sector")             \
    IS("D" r, "clinic") IS("E" r, "capacity") IS("F" r, "x") IS("G" r, "y") "</row>"

/* ---- reading ------------------------------------------------------------- */

/* Shared strings with rich-text runs and a phonetic run, inline strings
 * (escapes), booleans, formula text, numbers written as floats. */
static void test_cells(void **state)
{
    (void)state;
    const char *sst =
        "<si><t>name</t></si>"                                        /* 0 */
        "<si><t xml:space=\"preserve\"> kind </t></si>"               /* 1 */
        "<si><r><t>郑州</t></r><r><rPr><b/></rPr><t>华信</t></r>"
        "<rPh sb=\"0\" eb=\"2\"><t>ZHENGZHOU</t></rPh></si>"          /* 2 */
        "<si><t>high_tech</t></si>"                                   /* 3 */
        "<si><t/></si>"                                               /* 4 */
        "<si><t>eit</t></si>";                                        /* 5 */
    const char *sheet =
        "<row r=\"1\">" SS("A1", "0") SS("B1", "1") IS("C1", "sector") IS("D1", "clinic")
        IS("E1", "capacity") IS("F1", "x") IS("G1", "y") IS("H1", "location") "</row>"
        "<row r=\"2\">" SS("A2", "2") SS("B2", "3") SS("C2", "5")
        "<c r=\"D2\" t=\"b\"><v>1</v></c>" NUM("E2", "2.0") NUM("F2", "6.2") NUM("G2", "1.25E1")
        "<c r=\"H2\" t=\"str\"><f>A2&amp;\"x\"</f><v>a_x000D_b_x005F_x0041_</v></c></row>"
        "<row r=\"3\">" IS("A3", "S_x0033_") SS("B3", "3") SS("C3", "5")
        "<c r=\"D3\" t=\"b\"><v>0</v></c>" NUM("E3", "3E0") SS("H3", "4")
        "<c r=\"F3\"/>" "</row>";
    /* the cell F3 after H3 is out of order: a damaged sheet, tested below;
     * here without it */
    char *fixed = g_strdup(sheet);
    char *cut = strstr(fixed, "<c r=\"F3\"/>");
    memmove(cut, cut + strlen("<c r=\"F3\"/>"), strlen(cut + strlen("<c r=\"F3\"/>")) + 1);
    GBytes *b = one_sheet("Sheet1", fixed, sst);
    g_free(fixed);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    gboolean ok = read_sites(p, b, TM_FORMS_STRICT, d, &err);
    print_diags(d);
    if (!ok)
        print_error("%s\n", err->message);
    assert_true(ok);
    assert_int_equal(tm_form_diagnostics_count(d), 0);
    assert_int_equal(tm_programme_n_sites(p), 2);
    const TmSite *s = tm_programme_site(p, 0);
    assert_string_equal(s->name, "郑州华信");
    assert_int_equal(s->kind, TM_SITE_HIGH_TECH);
    assert_true(s->has_clinic);
    assert_int_equal(s->capacity, 2);
    assert_true(s->x == 6.2 && s->y == 12.5);
    assert_string_equal(s->location, "a\rb_x0041_");
    s = tm_programme_site(p, 1);
    assert_string_equal(s->name, "S3");
    assert_false(s->has_clinic);
    assert_int_equal(s->capacity, 3);
    assert_true(s->x == TM_NO_LOCATION);
    assert_null(s->location);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_bytes_unref(b);
}

/* Sparse rows and cells: missing cells are empty, missing rows are blank,
 * positions are the sheet's row numbers; a value right of the header is
 * ignored with a warning; a bad cell names FILE:SHEET:ROW:COLUMN. */
static void test_sparse_and_positions(void **state)
{
    (void)state;
    const char *good =
        SITE_HEADER("2")
        "<row r=\"4\">" IS("A4", "S1") IS("B4", "park") IS("C4", "eit") "</row>"
        "<row r=\"5\"/>"
        "<row r=\"6\"><c r=\"A6\" s=\"1\"/></row>"
        "<row r=\"9\">" IS("A9", "S2") IS("B9", "village") IS("C9", "agri") NUM("E9", "0")
        IS("J9", "a note") "</row>"
        "<row r=\"10\">" IS("A10", "S3") IS("B10", "village") IS("C10", "agri")
        IS("J10", "another") "</row>";
    GBytes *b = one_sheet("登记", good, NULL);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(read_sites(p, b, TM_FORMS_STRICT, d, &err));
    print_diags(d);
    assert_int_equal(tm_programme_n_sites(p), 3);
    assert_int_equal(tm_programme_site(p, 1)->capacity, 0);
    assert_int_equal(tm_programme_site(p, 0)->capacity, 1); /* empty: the default */
    /* one warning for column J, at its first row */
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    char *s = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 0));
    assert_string_equal(s, "t.xlsx:登记:9:10: warning: column J has a value but no header "
                           "(the header ends at column G); ignored");
    g_free(s);
    assert_string_equal(tm_form_diagnostic_file(tm_form_diagnostics_get(d, 0)), "t.xlsx:登记");
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_bytes_unref(b);

    /* a bad cell at row 7, column C (3): strict fails there, lenient skips it */
    const char *bad = SITE_HEADER("1")
        "<row r=\"2\">" IS("A2", "S1") IS("B2", "park") IS("C2", "eit") "</row>"
        "<row r=\"7\">" IS("A7", "S2") IS("B7", "park") IS("C7", "nosuch") "</row>"
        "<row r=\"8\">" IS("A8", "S3") IS("B8", "park") IS("C8", "eit") NUM("E8", "84.5") "</row>";
    b = one_sheet("Sheet1", bad, NULL);
    p = tm_programme_new(NULL);
    d = tm_form_diagnostics_new();
    assert_false(read_sites(p, b, TM_FORMS_STRICT, d, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_contains(err->message, "t.xlsx:Sheet1:7:3: sector: unknown sector 'nosuch'");
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    tm_form_diagnostics_free(d);
    d = tm_form_diagnostics_new();
    assert_true(read_sites(p, b, TM_FORMS_LENIENT, d, &err));
    print_diags(d);
    assert_int_equal(tm_programme_n_sites(p), 1); /* S1; S2 and S3 (84.5 people) skipped */
    assert_int_equal(tm_form_diagnostics_count(d), 2);
    const TmFormDiagnostic *x = tm_form_diagnostics_get(d, 1);
    assert_int_equal(tm_form_diagnostic_line(x), 8);
    assert_int_equal(tm_form_diagnostic_column(x), 5);
    assert_string_equal(tm_form_diagnostic_field(x), "capacity");
    assert_string_equal(tm_form_diagnostic_message(x), "capacity '84.5' is not a whole number");
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_bytes_unref(b);
}

/* Chinese headers and the commissioners' form, numbers as Excel writes
 * them (merit 84.999999999 kept as written). */
static void test_commissioners(void **state)
{
    (void)state;
    const char *sheet =
        "<row r=\"1\">" IS("A1", "姓名") IS("B1", "职称") IS("C1", "单位类型")
        IS("D1", "单位支持") IS("E1", "团队人数") IS("F1", "评分") IS("G1", "专长") "</row>"
        "<row r=\"2\">" IS("A2", "王建华") IS("B2", "教授") IS("C2", "高校") IS("D2", "是")
        NUM("E2", "3") NUM("F2", "84.999999999") IS("G2", "电子信息:3") "</row>";
    GBytes *b = one_sheet("申请表", sheet, NULL);
    gsize len;
    const char *data = g_bytes_get_data(b, &len);
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_true(tm_forms_read_commissioners_data(p, data, (gssize)len, NULL, TM_FORMS_STRICT,
                                                 NULL, &err));
    const TmCommissioner *c = tm_programme_commissioner(p, 0);
    assert_string_equal(c->name, "王建华");
    assert_int_equal(c->team_size, 3);
    assert_true(c->merit == 84.999999999);
    assert_int_equal(c->n_expertise, 1);
    assert_int_equal(c->expertise[0].level, 3);
    tm_programme_free(p);
    g_bytes_unref(b);
}

/* The first visible worksheet by default (a warning when there are
 * several), a named one with PATH:SHEET (also ignoring case), an unknown
 * name listing the sheets, a sheet named for a CSV file. */
static void test_sheets(void **state)
{
    (void)state;
    const char *names[] = {"~lists", "Notes", "需求登记表", NULL};
    const char *sheets[] = {
        "<row r=\"1\">" IS("A1", "garbage") "</row>",
        SITE_HEADER("1") "<row r=\"2\">" IS("A2", "N1") IS("B2", "park") IS("C2", "eit") "</row>",
        SITE_HEADER("1") "<row r=\"2\">" IS("A2", "Z1") IS("B2", "park") IS("C2", "eit") "</row>"
        "<row r=\"3\">" IS("A3", "Z2") IS("B3", "park") IS("C3", "eit") "</row>"};
    GBytes *b = make_book(names, sheets, NULL);
    char *path = write_bytes("book.xlsx", b);
    GError *err = NULL;

    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_sites(p, path, TM_FORMS_STRICT, d, &err));
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_string_equal(tm_programme_site(p, 0)->name, "N1");
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    char *s = tm_form_diagnostic_to_string(tm_form_diagnostics_get(d, 0));
    char *want = g_strdup_printf("%s:Notes:0:0: warning: the workbook has 2 sheets; reading the "
                                 "first, 'Notes' (name another as %s:SHEET)", path, path);
    assert_string_equal(s, want);
    g_free(s);
    g_free(want);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);

    char *named = g_strdup_printf("%s:需求登记表", path);
    p = tm_programme_new(NULL);
    d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_sites(p, named, TM_FORMS_STRICT, d, &err));
    assert_int_equal(tm_programme_n_sites(p), 2);
    assert_string_equal(tm_programme_site(p, 1)->name, "Z2");
    assert_int_equal(tm_form_diagnostics_count(d), 0);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    g_free(named);

    named = g_strdup_printf("%s:notes", path); /* Excel's names ignore case */
    p = tm_programme_new(NULL);
    assert_true(tm_forms_read_sites(p, named, TM_FORMS_STRICT, NULL, &err));
    assert_string_equal(tm_programme_site(p, 0)->name, "N1");
    tm_programme_free(p);
    g_free(named);

    named = g_strdup_printf("%s:Sheet9", path);
    p = tm_programme_new(NULL);
    assert_false(tm_forms_read_sites(p, named, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_IO);
    want = g_strdup_printf("%s: the workbook has no sheet named 'Sheet9' (its sheets: "
                           "'lists' (hidden), 'Notes', '需求登记表')", path);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    tm_programme_free(p);
    g_free(named);

    /* a file whose name has a colon is a file first */
    char *colon = g_build_filename(tmp_dir, "a:b.xlsx", NULL);
    assert_int_equal(rename(path, colon), 0);
    p = tm_programme_new(NULL);
    assert_true(tm_forms_read_sites(p, colon, TM_FORMS_STRICT, NULL, &err));
    assert_string_equal(tm_programme_site(p, 0)->name, "N1");
    tm_programme_free(p);
    g_free(colon);
    g_free(path);
    g_bytes_unref(b);

    /* a sheet named for a CSV file */
    path = g_build_filename(tmp_dir, "s.csv", NULL);
    assert_true(g_file_set_contents(path, "name,kind,sector\nA,park,eit\n", -1, NULL));
    named = g_strdup_printf("%s:Sheet1", path);
    p = tm_programme_new(NULL);
    assert_false(tm_forms_read_sites(p, named, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_INVALID_ARGUMENT);
    assert_contains(err->message, "a sheet ('Sheet1') can only be named for an .xlsx workbook");
    g_clear_error(&err);
    /* and a missing file with a colon: the whole name in the message */
    char *none = g_build_filename(tmp_dir, "nosuch.xlsx:Sheet1", NULL);
    assert_false(tm_forms_read_sites(p, none, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_IO);
    assert_contains(err->message, "nosuch.xlsx:Sheet1: cannot read the form");
    g_clear_error(&err);
    g_free(none);
    tm_programme_free(p);
    g_free(named);
    g_free(path);
}

/* ---- damaged workbooks --------------------------------------------------- */

/* Patches the sizes of entry @name in the zip @b (local header and central
 * directory) to claim @size bytes uncompressed. */
static GBytes *patch_size(GBytes *b, const char *name, guint32 size)
{
    gsize len = 0;
    const void *src = g_bytes_get_data(b, &len);
    guchar *d = g_memdup2(src, len);
    gsize nlen = strlen(name);
    int patched = 0;
    for (gsize i = 0; i + 46 + nlen <= len; i++) {
        if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 3 && d[i + 3] == 4
            && d[i + 26] == nlen && memcmp(d + i + 30, name, nlen) == 0) {
            for (int k = 0; k < 4; k++)
                d[i + 22 + k] = (guchar)(size >> (8 * k));
            patched++;
        }
        if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 1 && d[i + 3] == 2
            && d[i + 28] == nlen && memcmp(d + i + 46, name, nlen) == 0) {
            for (int k = 0; k < 4; k++)
                d[i + 24 + k] = (guchar)(size >> (8 * k));
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    return g_bytes_new_take(d, len);
}

static void check_bytes_error(GBytes *b, int code, const char *want)
{
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    if (read_sites(p, b, TM_FORMS_STRICT, d, &err)) {
        print_error("read, but want '%s'\n", want);
        fail();
    }
    assert_non_null(err);
    if (err->code != code || strstr(err->message, want) == NULL) {
        print_error("got %d '%s'\nwant %d '...%s...'\n", err->code, err->message, code, want);
        fail();
    }
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    assert_int_equal(tm_form_diagnostic_severity(tm_form_diagnostics_get(d, 0)), TM_FORM_ERROR);
    assert_int_equal(tm_programme_n_sites(p), 0);
    g_error_free(err);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
}

static void test_damaged(void **state)
{
    (void)state;
    const char *ok_sheet =
        SITE_HEADER("1") "<row r=\"2\">" IS("A2", "S1") IS("B2", "park") IS("C2", "eit") "</row>";

    /* not a zip at all, though the name or the magic says so */
    GBytes *b = g_bytes_new_static("PK\3\4garbage", 11);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: not a valid .xlsx workbook (zip: ");
    g_bytes_unref(b);
    char *path = g_build_filename(tmp_dir, "csv-inside.xlsx", NULL);
    assert_true(g_file_set_contents(path, "name,kind,sector\nA,park,eit\n", -1, NULL));
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_false(tm_forms_read_sites(p, path, TM_FORMS_STRICT, NULL, &err));
    assert_int_equal(err->code, TM_ERROR_PARSE);
    assert_contains(err->message, "csv-inside.xlsx: not a valid .xlsx workbook (zip: ");
    g_clear_error(&err);
    tm_programme_free(p);
    g_free(path);

    /* an .xls (OLE2) file */
    b = g_bytes_new_static("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: an Excel 97-2003 workbook (.xls)");
    g_bytes_unref(b);

    /* a truncated package */
    GBytes *whole = one_sheet("Sheet1", ok_sheet, NULL);
    b = g_bytes_new_from_bytes(whole, 0, g_bytes_get_size(whole) - 30);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: not a valid .xlsx workbook (zip: ");
    g_bytes_unref(b);

    /* a zip bomb: a part claiming 4 GB */
    b = patch_size(whole, "xl/worksheets/sheet1.xml", 0xFFFFFF00u);
    check_bytes_error(b, TM_ERROR_PARSE,
                      "t.xlsx: part xl/worksheets/sheet1.xml would inflate to 4294967040 "
                      "bytes, more than the limit of 268435456: refused");
    g_bytes_unref(b);
    g_bytes_unref(whole);

    /* a zip without a workbook */
    Part parts[] = {{"hello.txt", "hello"}};
    b = make_zip(parts, 1);
    check_bytes_error(b, TM_ERROR_PARSE,
                      "t.xlsx: not a spreadsheet: the package has no workbook part "
                      "(xl/workbook.xml)");
    g_bytes_unref(b);

    /* spreadsheets in other zip formats: .ods, .xlsb */
    Part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                  {"content.xml", "<office:document-content/>"}};
    b = make_zip(ods, 2);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: an OpenDocument file (.ods), which cannot "
                                         "be read: save it as .xlsx (Excel workbook) or as CSV "
                                         "UTF-8");
    g_bytes_unref(b);
    Part xlsb[] = {{"_rels/.rels",
                    "<Relationships><Relationship Id=\"rId1\" Type=\"" REL_NS
                    "/officeDocument\" Target=\"xl/workbook.bin\"/></Relationships>"},
                   {"xl/workbook.bin", "\x83\x01"}};
    b = make_zip(xlsb, 2);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: an Excel binary workbook (.xlsb)");
    g_bytes_unref(b);

    /* a workbook whose sheet part is missing */
    Part parts2[] = {{"_rels/.rels", ROOT_RELS},
                     {"xl/workbook.xml", "<workbook " NS "><sheets><sheet name=\"S\" "
                                         "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
                     {"xl/_rels/workbook.xml.rels",
                      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                      "relationships\"><Relationship Id=\"rId1\" Type=\"" REL_NS
                      "/worksheet\" Target=\"/xl/worksheets/../worksheets/s.xml\"/>"
                      "</Relationships>"}};
    b = make_zip(parts2, 3);
    check_bytes_error(b, TM_ERROR_PARSE,
                      "t.xlsx: sheet 'S': its part xl/worksheets/s.xml is missing from the "
                      "package (a damaged workbook)");
    g_bytes_unref(b);
    /* no sheets at all */
    Part parts3[] = {{"xl/workbook.xml", "<workbook " NS "><sheets/></workbook>"}};
    b = make_zip(parts3, 1);
    check_bytes_error(b, TM_ERROR_PARSE,
                      "t.xlsx: the workbook has no visible worksheet (its sheets: none)");
    g_bytes_unref(b);
    /* bad XML in the workbook */
    Part parts4[] = {{"xl/workbook.xml", "<workbook><sheets></workbook>"}};
    b = make_zip(parts4, 1);
    check_bytes_error(b, TM_ERROR_PARSE, "t.xlsx: part xl/workbook.xml is not well-formed XML "
                                         "(line 1: ");
    g_bytes_unref(b);

    /* bad XML in a sheet, after good rows: the read fails in both modes (the
     * XML's line in the message) */
    check_sites_error(SITE_HEADER("1") "<row r=\"2\">" IS("A2", "S1") IS("B2", "park")
                      IS("C2", "eit") "</row><row r=\"3\"><c r=\"A3\"></row>",
                      NULL, TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:0:0: part xl/worksheets/sheet1.xml is not well-formed XML "
                      "(line 1: Opening and ending tag mismatch: c line 1 and row)");
    /* bad XML in the shared strings */
    check_sites_error(ok_sheet, "<si><t>a</si>", TM_ERROR_PARSE,
                      "t.xlsx: part xl/sharedStrings.xml is not well-formed XML (line 1: "
                      "Opening and ending tag mismatch: t line 1 and si)");
    /* a DTD (entity expansion) */
    {
        Part parts5[] = {{"xl/workbook.xml",
                          "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
                          "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><workbook>&b;"
                          "</workbook>"}};
        b = make_zip(parts5, 1);
        check_bytes_error(b, TM_ERROR_PARSE,
                          "t.xlsx: part xl/workbook.xml has a document type declaration (DTD)");
        g_bytes_unref(b);
    }
    /* a shared string that does not exist */
    check_sites_error(SITE_HEADER("1") "<row r=\"2\">" SS("A2", "7") "</row>",
                      "<si><t>x</t></si>", TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:2:0: sheet 'Sheet1', cell A2 refers to shared string 7, "
                      "which the workbook does not have (a damaged sheet)");
    /* a bad cell reference, cells out of order, rows out of order */
    check_sites_error(SITE_HEADER("1") "<row r=\"2\"><c r=\"2A\"><v>1</v></c></row>", NULL,
                      TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:2:0: sheet 'Sheet1', row 2: bad cell reference '2A' (a "
                      "damaged sheet)");
    check_sites_error(SITE_HEADER("1") "<row r=\"2\">" NUM("C2", "1") NUM("B2", "1") "</row>",
                      NULL, TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:2:0: sheet 'Sheet1', cell B2 comes after a cell to its "
                      "right or is given twice (a damaged sheet)");
    check_sites_error(SITE_HEADER("3") "<row r=\"2\">" NUM("A2", "1") "</row>", NULL,
                      TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:3:0: sheet 'Sheet1': row number '2' after row 3 (a "
                      "damaged sheet)");
    check_sites_error(SITE_HEADER("1") "<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>", NULL,
                      TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:2:0: sheet 'Sheet1', row 2: bad cell reference 'XFE2' (a "
                      "damaged sheet)");
    /* an empty sheet, and one without required columns: as for CSV */
    check_sites_error("", NULL, TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:1:0: empty sheet: no header row (the first row with a "
                      "value must name the columns)");
    check_sites_error("<row r=\"4\">" IS("A4", "name") "</row>", NULL, TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:4:0: missing required columns: kind (类型), sector (行业)");
}

/* A sheet part of BOMB_SIZE bytes, made as it is read: rows of blanks. */
#define BOMB_HEAD "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" SITE_HEADER("1")
#define BOMB_SIZE ((zip_uint64_t)TM_TEST_PART_MAX + 4096 * 64)

typedef struct {
    zip_uint64_t pos;
} Bomb;

static zip_int64_t bomb_source(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    Bomb *b = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        b->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        char *out = data;
        zip_uint64_t n = 0, head = strlen(BOMB_HEAD);
        while (n < len && b->pos < BOMB_SIZE) {
            /* the head, then "<x>" + blanks + "</x>" in blocks of 1024 */
            zip_uint64_t at = b->pos, k = (at - head) % 1024;
            char c = at < head ? BOMB_HEAD[at] : k < 3 ? "<x>"[k] : k >= 1020 ? "</x>"[k - 1020] : ' ';
            out[n++] = c;
            b->pos++;
        }
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = BOMB_SIZE;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
        memset(data, 0, 2 * sizeof(int));
        return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

/* A zip bomb that lies about its size: a sheet that inflates past the
 * limit while its headers claim 1 KB.  The bytes are counted as they
 * inflate, and the read stops at the limit. */
static void test_bomb(void **state)
{
    (void)state;
    GBytes *small = one_sheet("Sheet1", "", NULL);
    /* the same workbook with the big sheet */
    zip_error_t ze;
    zip_error_init(&ze);
    gsize slen;
    const void *sdata = g_bytes_get_data(small, &slen);
    zip_source_t *src = zip_source_buffer_create(g_memdup2(sdata, slen), slen, 1, &ze);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, 0, &ze);
    assert_non_null(z);
    Bomb bomb = {0};
    zip_source_t *fs = zip_source_function(z, bomb_source, &bomb);
    assert_non_null(fs);
    assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", fs, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t len = zip_source_tell(src);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *buf = g_malloc((gsize)len);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    print_message("  the bomb: %" G_GINT64_FORMAT " bytes zipped\n", (gint64)len);
    GBytes *big = g_bytes_new_take(buf, (gsize)len);
    /* honest sizes: refused before inflating */
    check_bytes_error(big, TM_ERROR_PARSE, "t.xlsx: part xl/worksheets/sheet1.xml would inflate "
                                           "to 268697600 bytes, more than the limit");
    /* lying sizes: refused while inflating */
    GBytes *lying = patch_size(big, "xl/worksheets/sheet1.xml", 1024);
    check_bytes_error(lying, TM_ERROR_PARSE,
                      "t.xlsx:Sheet1:0:0: part xl/worksheets/sheet1.xml inflates to more than "
                      "268435456 bytes: refused (a damaged workbook or a zip bomb)");
    g_bytes_unref(lying);
    g_bytes_unref(big);
    g_bytes_unref(small);
}

/* ---- folders and the seed ------------------------------------------------ */

static void test_dir(void **state)
{
    (void)state;
    char *dir = g_build_filename(tmp_dir, "prog", NULL);
    assert_int_equal(g_mkdir(dir, 0700), 0);
    GBytes *sites = one_sheet("需求登记表", SITE_HEADER("1") "<row r=\"2\">" IS("A2", "S1")
                              IS("B2", "park") IS("C2", "eit") "</row>", NULL);
    GBytes *comms = one_sheet("申请表",
                              "<row r=\"1\">" IS("A1", "name") IS("B1", "title")
                              IS("C1", "unit_kind") IS("D1", "unit_support") IS("E1", "wishes")
                              "</row><row r=\"2\">" IS("A2", "C1") IS("B2", "senior")
                              IS("C2", "university") IS("D2", "yes") IS("E2", "S1；S9")
                              "</row>", NULL);
    gsize n;
    const char *d1 = g_bytes_get_data(sites, &n);
    char *ps = g_build_filename(dir, "需求登记表.xlsx", NULL);
    assert_true(g_file_set_contents(ps, d1, (gssize)n, NULL));
    const char *d2 = g_bytes_get_data(comms, &n);
    char *pc = g_build_filename(dir, "commissioners.xlsx", NULL);
    assert_true(g_file_set_contents(pc, d2, (gssize)n, NULL));

    /* strict: the wish naming nobody fails at its sheet position */
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    assert_false(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err));
    char *want = g_strdup_printf("%s:申请表:2:5: wishes: the wish list names 'S9', which is "
                                 "not a site of the programme (not in %s:需求登记表)", pc, ps);
    assert_string_equal(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    /* lenient: kept, the wish dropped */
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_dir(p, dir, TM_FORMS_LENIENT, d, &err));
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_int_equal(tm_programme_n_commissioners(p), 1);
    assert_int_equal(tm_programme_commissioner(p, 0)->n_ranked_sites, 1);
    assert_int_equal(tm_form_diagnostics_count(d), 1);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);

    /* a CSV of the same form beside the workbook: refused, naming both */
    char *csv = g_build_filename(dir, "申请表.csv", NULL);
    assert_true(g_file_set_contents(csv, "name,title,unit_kind,unit_support\n", -1, NULL));
    p = tm_programme_new(NULL);
    d = tm_form_diagnostics_new();
    assert_false(tm_forms_read_dir(p, dir, TM_FORMS_LENIENT, d, &err));
    assert_int_equal(err->code, TM_ERROR_IO);
    want = g_strdup_printf("%s: both %s and %s exist: keep one of them", dir, csv, pc);
    assert_contains(err->message, want);
    g_free(want);
    g_clear_error(&err);
    assert_int_equal(tm_programme_n_sites(p), 0);
    tm_form_diagnostics_free(d);
    tm_programme_free(p);
    assert_int_equal(g_unlink(csv), 0);
    g_free(csv);

    /* a missing form names both spellings and both formats */
    assert_int_equal(g_unlink(pc), 0);
    p = tm_programme_new(NULL);
    assert_false(tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err));
    assert_contains(err->message, "missing form: commissioners.csv (申请表.csv) (or the same "
                                  "name in .xlsx)");
    g_clear_error(&err);
    tm_programme_free(p);
    g_unlink(ps);
    g_rmdir(dir);
    g_free(ps);
    g_free(pc);
    g_free(dir);
    g_bytes_unref(sites);
    g_bytes_unref(comms);
}

static void digest_list(GString *g, const char *const *l, int32_t n)
{
    g_string_append_printf(g, "[%d:", n);
    for (int32_t i = 0; i < n; i++)
        g_string_append_printf(g, "%s|", l[i]);
    g_string_append(g, "]");
}

/* Every field of every agent of @p, as text. */
static char *digest(const TmProgramme *p)
{
    GString *g = g_string_new(NULL);
    for (int32_t i = 0; i < tm_programme_n_sites(p); i++) {
        const TmSite *s = tm_programme_site(p, i);
        g_string_append_printf(g, "S %s|%d|%d|%d|%d|%d|%d|%a|%a|%s|%d|%u|", s->name, s->kind,
                               s->sector, s->has_clinic, s->min_title, s->years, s->capacity,
                               s->x, s->y, s->location ? s->location : "-", s->consent,
                               s->tasks);
        digest_list(g, s->needs, s->n_needs);
        digest_list(g, s->ranked_commissioners, s->n_ranked_commissioners);
        g_string_append_c(g, '\n');
    }
    for (int32_t i = 0; i < tm_programme_n_commissioners(p); i++) {
        const TmCommissioner *c = tm_programme_commissioner(p, i);
        g_string_append_printf(g, "C %s|%d|%d|%s|%d|%d|%d|%d|%a|%a|%s|%a|%d|%u|", c->name,
                               c->team_size, c->title, c->unit ? c->unit : "-", c->unit_kind,
                               c->unit_support, c->years, c->capacity, c->x, c->y,
                               c->location ? c->location : "-", c->merit, c->consent, c->tasks);
        for (int32_t k = 0; k < c->n_expertise; k++)
            g_string_append_printf(g, "e%d:%d,", c->expertise[k].sector, c->expertise[k].level);
        digest_list(g, c->skills, c->n_skills);
        digest_list(g, c->ranked_sites, c->n_ranked_sites);
        g_string_append_c(g, '\n');
    }
    return g_string_free(g, FALSE);
}

/* The bundled .xlsx copy reads into exactly the programme of the CSV seed. */
static void test_seed_copy(void **state)
{
    (void)state;
    TmProgramme *a = tm_programme_new(NULL), *b = tm_programme_new(NULL);
    GError *err = NULL;
    TmFormDiagnostics *d = tm_form_diagnostics_new();
    assert_true(tm_forms_read_dir(a, TM_SEED_DIR, TM_FORMS_STRICT, NULL, &err));
    gboolean ok = tm_forms_read_dir(b, TM_XLSX_DIR, TM_FORMS_STRICT, d, &err);
    if (!ok)
        print_error("%s\n", err->message);
    assert_true(ok);
    print_diags(d);
    assert_int_equal(tm_form_diagnostics_count(d), 0);
    assert_true(tm_programme_n_sites(a) > 50 && tm_programme_n_commissioners(a) > 40);
    char *da = digest(a), *db = digest(b);
    assert_string_equal(da, db);
    g_free(da);
    g_free(db);
    tm_form_diagnostics_free(d);
    tm_programme_free(a);
    tm_programme_free(b);
}

static int setup(void **state)
{
    (void)state;
    tmp_dir = g_dir_make_tmp("tm-forms-xlsx-XXXXXX", NULL);
    return tmp_dir == NULL;
}

static int teardown(void **state)
{
    (void)state;
    GDir *d = g_dir_open(tmp_dir, 0, NULL);
    const char *n;
    while (d != NULL && (n = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(tmp_dir, n, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d != NULL)
        g_dir_close(d);
    g_rmdir(tmp_dir);
    g_free(tmp_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),       cmocka_unit_test(test_sparse_and_positions),
        cmocka_unit_test(test_commissioners), cmocka_unit_test(test_sheets),
        cmocka_unit_test(test_damaged),     cmocka_unit_test(test_dir),
        cmocka_unit_test(test_seed_copy),   cmocka_unit_test(test_bomb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
