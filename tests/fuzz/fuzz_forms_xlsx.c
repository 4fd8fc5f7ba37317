/* Fuzz harness: the forms read from .xlsx workbooks (src/io/xlsx_read.c
 * through tm_forms_read_sites_data / tm_forms_read_commissioners_data).
 *
 * Input: the first byte picks the mode (bit 0: lenient), the form (bit 1:
 * commissioners) and the encoding (bit 2: raw).  Raw: the rest is the
 * workbook's bytes as they are (libzip's reading of a damaged zip).
 * Otherwise the rest is split at 0xFF bytes (never in UTF-8 XML) into the
 * parts xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/workbook.xml and
 * xl/_rels/workbook.xml.rels, a missing one taking a fixed default, and the
 * harness zips them (stored) in memory with libzip: the mutations reach the
 * XML readers.  Properties:
 *   - a failed read is a TM_ERROR_PARSE naming the source first, listed
 *     among the error diagnostics (as `SOURCE: reason` for the workbook as a
 *     whole, or at its position), and adds nothing;
 *   - a successful read adds agents whose names are non-empty UTF-8 without
 *     line breaks, found by name; every diagnostic names the source (`form.xlsx`
 *     or `form.xlsx:SHEET`) with UTF-8 text; a strict success has no error
 *     diagnostic. */
#include <zip.h>

#include "fuzz_common.h"

static const char DEF_SHEET[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>";
static const char DEF_SST[] = "<sst><si><t>name</t></si><si><t>kind</t></si>"
                              "<si><t>sector</t></si></sst>";
static const char DEF_BOOK[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char DEF_RELS[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";

/* The parts zipped (stored), as new bytes into *@out. */
static gsize build_zip(const uint8_t *data, size_t size, char **out)
{
    static const char *const names[4] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                         "xl/workbook.xml", "xl/_rels/workbook.xml.rels"};
    const char *defs[4] = {DEF_SHEET, DEF_SST, DEF_BOOK, DEF_RELS};
    const char *part[4];
    size_t plen[4];
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < 4; i++)
        if (i == size || data[i] == 0xFF) {
            part[n] = (const char *)data + start;
            plen[n++] = i - start;
            start = i + 1;
        }
    for (int k = n; k < 4; k++) {
        part[k] = defs[k];
        plen[k] = strlen(defs[k]);
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    FZ_CHECK(src != NULL, "zip_source_buffer_create");
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    FZ_CHECK(z != NULL, "zip_open_from_source");
    for (int k = 0; k < 4; k++) {
        zip_source_t *s = zip_source_buffer(z, part[k], plen[k], 0);
        zip_int64_t idx = s ? zip_file_add(z, names[k], s, 0) : -1;
        FZ_CHECK(idx >= 0, "zip_file_add");
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    FZ_CHECK(zip_close(z) == 0, "zip_close");
    FZ_CHECK(zip_source_open(src) == 0 && zip_source_seek(src, 0, SEEK_END) == 0,
             "zip source");
    zip_int64_t len = zip_source_tell(src);
    FZ_CHECK(len > 0 && zip_source_seek(src, 0, SEEK_SET) == 0, "zip source tell");
    *out = g_malloc((gsize)len);
    FZ_CHECK(zip_source_read(src, *out, (zip_uint64_t)len) == len, "zip source read");
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    return (gsize)len;
}

/* Every diagnostic names the source; the error diagnostics counted; the
 * @failure (may be NULL) must be one of them. */
static guint check_diagnostics(const TmFormDiagnostics *d, const GError *failure)
{
    guint errors = 0;
    gboolean listed = failure == NULL;
    for (guint i = 0; i < tm_form_diagnostics_count(d); i++) {
        const TmFormDiagnostic *x = tm_form_diagnostics_get(d, i);
        const char *file = tm_form_diagnostic_file(x);
        FZ_CHECK(g_str_has_prefix(file, "form.xlsx"), "diagnostic file %s", file);
        fz_check_text(file, "diagnostic file");
        fz_check_text(tm_form_diagnostic_message(x), "diagnostic message");
        FZ_CHECK(tm_form_diagnostic_line(x) >= 0 && tm_form_diagnostic_column(x) >= 0,
                 "diagnostic position");
        char *s = tm_form_diagnostic_to_string(x);
        fz_check_text(s, "diagnostic string");
        if (tm_form_diagnostic_severity(x) == TM_FORM_ERROR) {
            errors++;
            char *whole = g_strdup_printf("%s: %s", file, tm_form_diagnostic_message(x));
            if (failure != NULL
                && (strcmp(s, failure->message) == 0 || strcmp(whole, failure->message) == 0))
                listed = TRUE;
            g_free(whole);
        }
        g_free(s);
    }
    FZ_CHECK(listed, "the failure '%s' is not among the error diagnostics", failure->message);
    return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    TmFormsMode mode = (data[0] & 1) ? TM_FORMS_LENIENT : TM_FORMS_STRICT;
    gboolean comms = (data[0] & 2) != 0, raw = (data[0] & 4) != 0;
    char *book = NULL;
    gsize len;
    if (raw) {
        len = size - 1;
        book = g_malloc(len + 1); /* never NULL, even when empty */
        memcpy(book, data + 1, len);
    } else {
        len = build_zip(data + 1, size - 1, &book);
    }
    TmProgramme *p = tm_programme_new(NULL);
    FZ_CHECK(p != NULL, "programme");
    TmFormDiagnostics *diags = tm_form_diagnostics_new();
    GError *err = NULL;
    gboolean ok = comms ? tm_forms_read_commissioners_data(p, book, (gssize)len, "form.xlsx",
                                                           mode, diags, &err)
                        : tm_forms_read_sites_data(p, book, (gssize)len, "form.xlsx", mode,
                                                   diags, &err);
    if (!ok) {
        fz_check_error(err, "xlsx form read");
        FZ_CHECK(err->code == TM_ERROR_PARSE, "code %d: %s", err->code, err->message);
        FZ_CHECK(g_str_has_prefix(err->message, "form.xlsx"), "message without the source: %s",
                 err->message);
        check_diagnostics(diags, err);
        FZ_CHECK(tm_programme_n_sites(p) == 0 && tm_programme_n_commissioners(p) == 0,
                 "a failed read added agents");
        g_error_free(err);
    } else {
        FZ_CHECK(err == NULL, "success with an error set");
        guint errors = check_diagnostics(diags, NULL);
        if (mode == TM_FORMS_STRICT)
            FZ_CHECK(errors == 0, "a strict read succeeded with %u error diagnostics", errors);
        int32_t n = comms ? tm_programme_n_commissioners(p) : tm_programme_n_sites(p);
        for (int32_t i = 0; i < n; i++) {
            const char *name = comms ? tm_programme_commissioner(p, i)->name
                                     : tm_programme_site(p, i)->name;
            fz_check_text(name, "name");
            FZ_CHECK(name[0] != '\0' && strpbrk(name, "\r\n") == NULL, "name '%s'", name);
            FZ_CHECK((comms ? tm_programme_find_commissioner(p, name)
                            : tm_programme_find_site(p, name)) == i,
                     "'%s' is not found by name", name);
        }
    }
    tm_form_diagnostics_free(diags);
    tm_programme_free(p);
    g_free(book);
    return 0;
}
