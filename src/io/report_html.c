/* techmatch — the printable page of a selection (output.h,
 * tm_selection_report_html()): the Markdown report of
 * tm_selection_report_markdown_with() as HTML (cmark-gfm, GFM tables), in a
 * self-contained HTML5 document (inline CSS, no external resource, A4 print
 * rules, Chinese fonts with fallbacks) with inline SVG charts of the
 * coverage per sector and of both sides' rank distributions.
 *
 * The charts come from the selection's public accessors (the same ones as
 * the report's tables) and sit in a "Charts" section before the report's
 * first section (the first <h2>): they need no knowledge of the report's
 * headings, whatever their language.  Every string from the data is
 * escaped for XML; the bytes depend only on the selection and the options.
 */
#include <string.h>

#include <glib.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include <techmatch/matching.h>
#include <techmatch/output.h>
#include <techmatch/profile.h>
#include <techmatch/version.h>

#include "io/report_html.h"
#include "io/report_internal.h"
#include "util/messages.h"

/* ---- escaping --------------------------------------------------------- */

/* @text as XML/HTML character data or attribute value (& < > " '); a
 * control character other than tab and line break, not allowed in XML 1.0,
 * becomes U+FFFD; invalid UTF-8 is replaced the same way. */
static void xml_text(GString *out, const char *text)
{
    const char *p = text ? text : "";
    const char *end = p + strlen(p);
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append(out, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        switch (c) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
                g_string_append(out, "\xEF\xBF\xBD");
            else
                g_string_append_len(out, p, next - p);
        }
        p = next;
    }
}

/* @text as the content of a CSS string ("..."): quotes, backslashes and
 * anything outside printable ASCII escaped as \HHHHHH. */
static void css_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' && c != '>')
            g_string_append_c(out, (char)c);
        else
            g_string_append_printf(out, "\\%06X", (unsigned)c);
    }
    g_string_append_c(out, '"');
}

/* A number for SVG coordinates: one decimal, C locale. */
static const char *num(char *buf, double v)
{
    return g_ascii_formatd(buf, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", v);
}

/* The width of @text in px at @font_px, estimated: East Asian wide
 * characters take 1 em, others 0.6 em (the charts leave room by it). */
static double text_width(const char *text, double font_px)
{
    double w = 0;
    for (const char *p = text ? text : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        w += g_unichar_iswide(c) ? 1.0 : 0.6;
    }
    return w * font_px;
}

/* @text cut (with "…") to fit @max_px at @font_px; a new string. */
static char *fit_text(const char *text, double font_px, double max_px)
{
    const char *t = text ? text : "";
    if (text_width(t, font_px) <= max_px)
        return g_strdup(t);
    GString *s = g_string_new(NULL);
    double w = font_px; /* the ellipsis */
    for (const char *p = t; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        double cw = (g_unichar_iswide(c) ? 1.0 : 0.6)
                    * font_px;
        if (w + cw > max_px)
            break;
        w += cw;
        g_string_append_unichar(s, c);
    }
    g_string_append(s, "…");
    return g_string_free(s, FALSE);
}

/* Message @id of @lang that takes no argument, its `%%` read as `%`. */
static void xml_msg(GString *out, TmLang lang, TmMsgId id)
{
    char **parts = g_strsplit(tm_i_msg(lang, id), "%%", -1);
    char *text = g_strjoinv("%", parts);
    xml_text(out, text);
    g_free(text);
    g_strfreev(parts);
}

static int clamp_int(int64_t v)
{
    return v > G_MAXINT ? G_MAXINT : v < G_MININT ? G_MININT : (int)v;
}

/* ---- charts ------------------------------------------------------------ */

#define CHART_W 720.0
#define FONT_PX 12.0

/* <svg ...><title id=ID-t>TITLE</title><desc id=ID-d>DESC</desc> and the
 * visible title. */
static void svg_open(GString *out, const char *id, double height, const char *title,
                     const char *desc)
{
    char h[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out,
                           "<figure class=\"chart\">\n<svg class=\"chart-svg\" id=\"%s\" "
                           "role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %s %s\" "
                           "width=\"%s\" height=\"%s\" preserveAspectRatio=\"xMinYMin meet\">\n"
                           "<title id=\"%s-t\">",
                           id, id, id, num(w, CHART_W), num(h, height), w, h, id);
    xml_text(out, title);
    g_string_append_printf(out, "</title>\n<desc id=\"%s-d\">", id);
    xml_text(out, desc);
    g_string_append(out, "</desc>\n<text class=\"chart-title\" x=\"0\" y=\"16\">");
    xml_text(out, title);
    g_string_append(out, "</text>\n");
}

static void svg_close(GString *out)
{
    g_string_append(out, "</svg>\n</figure>\n");
}

/* Coverage per sector: a horizontal bar per sector, served / registered,
 * labelled with the percentage and the counts. */
static void chart_coverage(GString *out, const TmSelection *sel, TmLang lang)
{
    const TmTaxonomy *tax = tm_programme_taxonomy(tm_selection_programme(sel));
    int32_t n = tm_taxonomy_n_sectors(tax);
    char **names = g_new0(char *, (gsize)n + 1);
    double label_w = 0;
    for (int32_t k = 0; k < n; k++) {
        const char *name = lang == TM_LANG_ZH ? tm_taxonomy_name_zh(tax, k)
                                              : tm_taxonomy_name_en(tax, k);
        names[k] = g_strdup(name ? name : "");
        label_w = MAX(label_w, text_width(names[k], FONT_PX));
    }
    label_w = CLAMP(label_w + 12, 60.0, 240.0);
    const double top = 44, row = 26, bar_h = 16, value_w = 96;
    const double x0 = label_w, plot_w = CHART_W - label_w - value_w;
    const double axis_y = top + row * n;
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE],
        d[G_ASCII_DTOSTR_BUF_SIZE], pct[G_ASCII_DTOSTR_BUF_SIZE];

    svg_open(out, "chart-coverage", axis_y + 44, tm_i_msg(lang, TM_M_HTML_COVERAGE_TITLE),
             tm_i_msg(lang, TM_M_HTML_COVERAGE_DESC));
    /* grid and axis: 0, 25, 50, 75, 100 % */
    g_string_append(out, "<g class=\"grid\">\n");
    for (int t = 0; t <= 100; t += 25) {
        double x = x0 + plot_w * t / 100.0;
        g_string_append_printf(out,
                               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>"
                               "<text class=\"tick\" x=\"%s\" y=\"%s\" "
                               "text-anchor=\"middle\">%d%%</text>\n",
                               num(a, x), num(b, top - 6), num(c, x), num(d, axis_y), a,
                               num(b, axis_y + 14), t);
    }
    g_string_append(out, "</g>\n");
    g_string_append_printf(out, "<text class=\"axis-label\" x=\"%s\" y=\"%s\" "
                                "text-anchor=\"middle\">",
                           num(a, x0 + plot_w / 2), num(b, axis_y + 34));
    xml_msg(out, lang, TM_M_HTML_COVERAGE_AXIS);
    g_string_append(out, "</text>\n<g class=\"bars\">\n");
    for (int32_t k = 0; k < n; k++) {
        int32_t reg = 0, elig = 0, served = 0;
        int64_t assigned = 0;
        tm_selection_sector_counts(sel, k, &reg, &elig, &served, &assigned);
        double share = reg > 0 ? (double)served / reg : 0.0;
        g_ascii_formatd(pct, sizeof pct, "%.0f", 100.0 * share);
        double y = top + row * k + (row - bar_h) / 2;
        char *label = fit_text(names[k], FONT_PX, label_w - 12);
        g_string_append_printf(out, "<text class=\"label\" x=\"%s\" y=\"%s\" "
                                    "text-anchor=\"end\">",
                               num(a, x0 - 8), num(b, y + bar_h - 3));
        xml_text(out, label);
        g_free(label);
        g_string_append_printf(out, "</text>\n<rect class=\"track\" x=\"%s\" y=\"%s\" "
                                    "width=\"%s\" height=\"%s\"/>\n",
                               num(a, x0), num(b, y), num(c, plot_w), num(d, bar_h));
        g_string_append_printf(out, "<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" "
                                    "height=\"%s\"><title>",
                               num(a, x0), num(b, y), num(c, plot_w * share), num(d, bar_h));
        char *tip = g_strdup_printf(tm_i_msg(lang, TM_M_HTML_COVERAGE_BAR), names[k], pct,
                                    (int)served, (int)reg);
        xml_text(out, tip);
        g_free(tip);
        g_string_append_printf(out, "</title></rect>\n<text class=\"value\" x=\"%s\" y=\"%s\">"
                                    "%s%% (%" G_GINT32_FORMAT "/%" G_GINT32_FORMAT ")</text>\n",
                               num(a, x0 + plot_w * share + 6), num(b, y + bar_h - 3), pct,
                               served, reg);
    }
    g_string_append(out, "</g>\n");
    svg_close(out);
    g_strfreev(names);
}

/* A step of 1, 2 or 5 times a power of ten giving at most 5 ticks up to
 * @max. */
static int64_t tick_step(int64_t max)
{
    int64_t step = 1;
    for (;;) {
        for (int m = 0; m < 3; m++) {
            int64_t s = step * (m == 0 ? 1 : m == 1 ? 2 : 5);
            if (max / s <= 5)
                return s;
        }
        step *= 10;
    }
}

/* A side's rank distribution: a vertical bar per rank (1 .. the worst given;
 * assignments) and one for the agents of the side without a partner. */
static gboolean chart_ranks(GString *out, const TmSelection *sel, TmSide side, TmLang lang,
                            GError **error)
{
    const TmMatching *mt = tm_selection_matching(sel);
    int32_t mx;
    int64_t *h = tm_i_rank_histogram(sel, side, &mx, error);
    if (h == NULL)
        return FALSE;
    int32_t ranks = 0; /* the worst rank given, 1-based */
    for (int32_t r = 0; r < mx; r++)
        if (h[r] > 0)
            ranks = r + 1;
    int64_t unmatched = 0;
    for (int32_t a = 0; a < tm_selection_n_agents(sel, side); a++)
        unmatched += tm_matching_n_partners(mt, side, a) <= 0;
    int32_t n = ranks + 1; /* the bars: ranks, then unmatched */
    int64_t ymax = unmatched;
    for (int32_t r = 0; r < ranks; r++)
        ymax = MAX(ymax, h[r]);
    int64_t step = tick_step(MAX(ymax, 1));
    int64_t top_v = ((MAX(ymax, 1) + step - 1) / step) * step;

    gboolean supply = side == TM_SIDE_SUPPLY;
    const double left = 48, right = 12, top = 40, plot_h = 180;
    const double plot_w = CHART_W - left - right;
    const double base = top + plot_h, slot = plot_w / n;
    const double bar_w = MIN(slot * 0.7, 56.0);
    int label_every = slot >= 22 ? 1 : (int)(22 / slot) + 1;
    gboolean values = slot >= 16;
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE],
        d[G_ASCII_DTOSTR_BUF_SIZE];

    svg_open(out, supply ? "chart-ranks-supply" : "chart-ranks-demand", base + 46,
             tm_i_msg(lang, supply ? TM_M_HTML_RANKS_SUPPLY_TITLE : TM_M_HTML_RANKS_DEMAND_TITLE),
             tm_i_msg(lang, supply ? TM_M_HTML_RANKS_SUPPLY_DESC : TM_M_HTML_RANKS_DEMAND_DESC));
    g_string_append(out, "<g class=\"grid\">\n");
    for (int64_t v = 0; v <= top_v; v += step) {
        double y = base - plot_h * (double)v / (double)top_v;
        g_string_append_printf(out,
                               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>"
                               "<text class=\"tick\" x=\"%s\" y=\"%s\" text-anchor=\"end\">%"
                               G_GINT64_FORMAT "</text>\n",
                               num(a, left), num(b, y), num(c, left + plot_w), b,
                               num(d, left - 6), num(b, y + 4), v);
    }
    g_string_append(out, "</g>\n");
    g_string_append_printf(out, "<text class=\"axis-label\" x=\"%s\" y=\"%s\" "
                                "text-anchor=\"middle\">",
                           num(a, left + plot_w / 2), num(b, base + 38));
    xml_msg(out, lang, TM_M_HTML_RANKS_AXIS_X);
    g_string_append_printf(out, "</text>\n<text class=\"axis-label\" x=\"12\" y=\"%s\" "
                                "text-anchor=\"middle\" transform=\"rotate(-90 12 %s)\">",
                           num(a, top + plot_h / 2), a);
    xml_msg(out, lang, TM_M_HTML_RANKS_AXIS_Y);
    g_string_append(out, "</text>\n<g class=\"bars\">\n");
    for (int32_t i = 0; i < n; i++) {
        gboolean last = i == n - 1;
        int64_t v = last ? unmatched : h[i];
        double x = left + slot * i + (slot - bar_w) / 2;
        double bh = plot_h * (double)v / (double)top_v;
        g_string_append_printf(out, "<rect class=\"bar%s\" x=\"%s\" y=\"%s\" width=\"%s\" "
                                    "height=\"%s\"><title>",
                               last ? " unmatched" : "", num(a, x), num(b, base - bh),
                               num(c, bar_w), num(d, bh));
        char *tip = last ? g_strdup_printf(tm_i_msg(lang, supply
                                                              ? TM_M_HTML_RANKS_BAR_UNMATCHED_SUPPLY
                                                              : TM_M_HTML_RANKS_BAR_UNMATCHED_DEMAND),
                                           clamp_int(v))
                         : g_strdup_printf(tm_i_msg(lang, TM_M_HTML_RANKS_BAR), (int)(i + 1),
                                           clamp_int(v));
        xml_text(out, tip);
        g_free(tip);
        g_string_append(out, "</title></rect>\n");
        if (values)
            g_string_append_printf(out, "<text class=\"value\" x=\"%s\" y=\"%s\" "
                                        "text-anchor=\"middle\">%" G_GINT64_FORMAT "</text>\n",
                                   num(a, x + bar_w / 2), num(b, base - bh - 4), v);
        if (last || i == 0 || (i + 1) % label_every == 0) {
            g_string_append_printf(out, "<text class=\"tick\" x=\"%s\" y=\"%s\" "
                                        "text-anchor=\"middle\">",
                                   num(a, x + bar_w / 2), num(b, base + 16));
            if (last)
                xml_msg(out, lang, TM_M_HTML_RANKS_UNMATCHED);
            else
                g_string_append_printf(out, "%" G_GINT32_FORMAT, i + 1);
            g_string_append(out, "</text>\n");
        }
    }
    g_string_append_printf(out, "</g>\n<line class=\"axis\" x1=\"%s\" y1=\"%s\" x2=\"%s\" "
                                "y2=\"%s\"/>\n",
                           num(a, left), num(b, base), num(c, left + plot_w), b);
    svg_close(out);
    g_free(h);
    return TRUE;
}

/* ---- the document ------------------------------------------------------ */

static const char style_sheet[] =
    "@page { size: A4; margin: 15mm; }\n"
    ":root { --ink: #1d232b; --muted: #5b6570; --rule: #cdd4dc; --head: #eef2f6;\n"
    "  --bar: #2f6db5; --bar2: #2e8b57; --track: #e8edf3; --none: #9aa3ad; }\n"
    "html { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Noto Sans SC\",\n"
    "  \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"WenQuanYi Micro Hei\",\n"
    "  \"SimSun\", sans-serif; color: var(--ink); background: #fff;\n"
    "  -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
    "body { margin: 0; font-size: 15px; line-height: 1.55; }\n"
    "main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }\n"
    "h1 { font-size: 1.6em; line-height: 1.3; margin: 0 0 .6em;\n"
    "  border-bottom: 2px solid var(--bar); padding-bottom: .3em; }\n"
    "h2 { font-size: 1.25em; margin: 1.6em 0 .5em; border-bottom: 1px solid var(--rule);\n"
    "  padding-bottom: .2em; }\n"
    "h2, h3 { break-after: avoid; page-break-after: avoid; }\n"
    "p, li { orphans: 3; widows: 3; }\n"
    "ul { padding-left: 1.4em; }\n"
    "table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .86em; }\n"
    "th, td { border: 1px solid var(--rule); padding: 3px 6px; vertical-align: top;\n"
    "  overflow-wrap: break-word; }\n"
    "th { background: var(--head); font-weight: 600; text-align: left; }\n"
    "td[align=\"right\"], th[align=\"right\"] { text-align: right;\n"
    "  font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "tbody tr:nth-child(even) td { background: #f8fafc; }\n"
    "thead { display: table-header-group; }\n"
    "tr, td, th { break-inside: avoid; page-break-inside: avoid; }\n"
    "figure.chart { margin: .8em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }\n"
    "svg.chart-svg { display: block; width: 100%; max-width: 720px; height: auto; }\n"
    "svg.chart-svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }\n"
    "svg.chart-svg .chart-title { font-size: 14px; font-weight: 600; }\n"
    "svg.chart-svg .tick, svg.chart-svg .axis-label { fill: var(--muted); font-size: 11px; }\n"
    "svg.chart-svg .grid line { stroke: var(--rule); stroke-width: 1; }\n"
    "svg.chart-svg .axis { stroke: var(--ink); stroke-width: 1; }\n"
    "svg.chart-svg .track { fill: var(--track); }\n"
    "svg.chart-svg .bar { fill: var(--bar); }\n"
    "#chart-ranks-demand .bar { fill: var(--bar2); }\n"
    "svg.chart-svg .bar.unmatched { fill: var(--none); }\n"
    ".charts-note { color: var(--muted); font-size: .9em; }\n"
    "footer.doc-footer { color: var(--muted); font-size: .8em; border-top: 1px solid var(--rule);\n"
    "  margin-top: 2em; padding-top: .5em; }\n"
    "@media print {\n"
    "  body { font-size: 10pt; }\n"
    "  main { max-width: none; padding: 0; }\n"
    "  table { font-size: 8.5pt; }\n"
    "  th, td { padding: 2px 4px; }\n"
    "  svg.chart-svg { max-width: 170mm; }\n"
    "  footer.doc-footer { display: none; }\n"
    "}\n";

/* The footer text of every printed page (@page margin box) and of the
 * screen page. */
static char *footer_text(TmLang lang)
{
    return g_strdup_printf(tm_i_msg(lang, TM_M_HTML_FOOTER), tm_version());
}

/* cmark-gfm's extensions registry is process-global: registered once. */
static gsize cmark_registered = 0;

static void cmark_ensure_registered(void)
{
    if (g_once_init_enter(&cmark_registered)) {
        cmark_gfm_core_extensions_ensure_registered();
        g_once_init_leave(&cmark_registered, 1);
    }
}

/* @md (CommonMark + GFM tables) as HTML (a new string, g_free()): safe mode
 * (CMARK_OPT_DEFAULT: raw HTML and unsafe links are left out). */
static char *markdown_to_html(const char *md, GError **error)
{
    cmark_ensure_registered();
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (table == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                            "cmark-gfm: the table extension is not available");
        return NULL;
    }
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(parser, table);
    cmark_parser_feed(parser, md, strlen(md));
    cmark_node *doc = cmark_parser_finish(parser);
    char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT,
                                   cmark_parser_get_syntax_extensions(parser));
    /* control characters from the data (not allowed in HTML text) as U+FFFD */
    GString *copy = g_string_sized_new(strlen(html) + 1);
    for (const char *p = html; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
            g_string_append(copy, "\xEF\xBF\xBD");
        else
            g_string_append_c(copy, *p);
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return g_string_free(copy, FALSE);
}

char *tm_selection_report_html(const TmSelection *sel, const TmOutputOptions *options,
                               GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    char *md = tm_selection_report_markdown_with(sel, options, error);
    if (md == NULL)
        return NULL;
    char *html = tm_i_report_html_from_markdown(sel, md, options, error);
    g_free(md);
    return html;
}

char *tm_i_report_html_from_markdown(const TmSelection *sel, const char *md,
                                     const TmOutputOptions *options, GError **error)
{
    if (!tm_i_sel_check(sel, error))
        return NULL;
    if (md == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "report is NULL");
        return NULL;
    }
    TmLang lang = tm_output_options_resolve_language(options, sel);
    char *body = markdown_to_html(md, error);
    if (body == NULL)
        return NULL;

    GString *charts = g_string_new("<section class=\"charts\">\n<h2 id=\"charts\">");
    xml_msg(charts, lang, TM_M_HTML_CHARTS_HEADING);
    g_string_append(charts, "</h2>\n<p class=\"charts-note\">");
    xml_msg(charts, lang, TM_M_HTML_CHARTS_NOTE);
    g_string_append(charts, "</p>\n");
    chart_coverage(charts, sel, lang);
    if (!chart_ranks(charts, sel, TM_SIDE_SUPPLY, lang, error) ||
        !chart_ranks(charts, sel, TM_SIDE_DEMAND, lang, error)) {
        g_string_free(charts, TRUE);
        g_free(body);
        return NULL;
    }
    g_string_append(charts, "</section>\n");

    char *footer = footer_text(lang);
    GString *out = g_string_sized_new(strlen(body) + charts->len + sizeof style_sheet + 1024);
    g_string_append_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                                "<meta charset=\"utf-8\">\n"
                                "<meta http-equiv=\"Content-Security-Policy\" "
                                "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                                "<meta name=\"viewport\" content=\"width=device-width, "
                                "initial-scale=1\">\n"
                                "<meta name=\"generator\" content=\"techmatch %s\">\n<title>",
                           lang == TM_LANG_ZH ? "zh-CN" : "en", tm_version());
    xml_msg(out, lang, TM_M_HTML_PAGE_TITLE);
    g_string_append(out, "</title>\n<style>\n");
    g_string_append(out, style_sheet);
    g_string_append(out, "@page { @bottom-center { content: ");
    css_string(out, footer);
    g_string_append(out, " \"  \" counter(page) \" / \" counter(pages); font-size: 8pt; "
                         "color: #5b6570; } }\n</style>\n</head>\n<body>\n<main>\n");
    /* the charts before the report's first section (its summary stays on
     * top); at the end when it has none */
    const char *h2 = strstr(body, "<h2");
    if (h2 == NULL)
        h2 = body + strlen(body);
    g_string_append_len(out, body, h2 - body);
    g_string_append_len(out, charts->str, (gssize)charts->len);
    g_string_append(out, h2);
    g_string_append(out, "</main>\n<footer class=\"doc-footer\">");
    xml_text(out, footer);
    g_string_append(out, "</footer>\n</body>\n</html>\n");
    g_free(footer);
    g_free(body);
    g_string_free(charts, TRUE);
    return g_string_free(out, FALSE);
}
