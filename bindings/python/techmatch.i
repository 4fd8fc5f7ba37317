/* techmatch — the raw SWIG module techmatch._core (with its proxy techmatch/core.py).
 *
 * Thin on purpose: it wraps the public headers as they are, with typemaps for
 *   - GError **error: hidden from Python; a set error raises the exception
 *     class registered for its TmError code (the Python layer builds the
 *     hierarchy from tm_error_code_name() and registers it at import);
 *   - const int32_t * / int32_t * / int64_t *: a C-contiguous, aligned,
 *     native-order numpy array of exactly that dtype (or None -> NULL),
 *     writeable for outputs.  Nothing is converted here: the Python layer
 *     checks, casts and sizes arrays before they reach C (numpy.i helpers);
 *   - strings the caller must g_free() (%newobject), output scalars.
 * -threads releases the GIL around every wrapped call.  The only C code of
 * its own is the progress trampoline, which re-takes the GIL to call a
 * Python callable and to check for signals (Ctrl-C), and stores an exception
 * instead of raising it, triggering the operation's cancel handle.
 */
%module(package="techmatch", threads="1") core

%{
#define SWIG_FILE_WITH_INIT
#include <techmatch/techmatch.h>
%}

%include "numpy.i"
%init %{
    import_array();
%}

%include <stdint.i>
typedef int gboolean;
typedef char gchar;
typedef void *gpointer;
typedef unsigned int guint;
typedef long gssize;
typedef unsigned long gsize;
typedef unsigned int GQuark;
#define G_BEGIN_DECLS
#define G_END_DECLS
#define TM_API

/* ---- errors ------------------------------------------------------------ */
%{
static PyObject *tm_py_error_classes[TM_ERROR_LAST + 2];

static void tm_py_raise(const GError *err)
{
    PyObject *cls = NULL;
    if (err->domain == TM_ERROR && err->code >= 1 && err->code <= TM_ERROR_LAST)
        cls = tm_py_error_classes[err->code];
    if (cls == NULL)
        cls = tm_py_error_classes[0];
    if (cls == NULL)
        cls = PyExc_RuntimeError;
    PyObject *args = Py_BuildValue("(si)", err->message, (int)err->code);
    if (args != NULL) {
        PyErr_SetObject(cls, args);
        Py_DECREF(args);
    }
}
%}

%typemap(in, numinputs=0) GError **error (GError *tm_err = NULL) {
    $1 = &tm_err;
}
%typemap(argout) GError **error {
    if (tm_err$argnum != NULL) {
        Py_XDECREF($result);
        $result = NULL;
        tm_py_raise(tm_err$argnum);
        SWIG_fail;
    }
}
%typemap(freearg) GError **error {
    g_clear_error(&tm_err$argnum);
}

%nothread tm_py_register_error;
%inline %{
/* Registers @cls as the exception raised for TmError @code (0: any other
 * code).  Called by techmatch/_errors.py at import. */
static PyObject *tm_py_register_error(int code, PyObject *cls)
{
    if (code < 0 || code > TM_ERROR_LAST + 1) {
        PyErr_SetString(PyExc_ValueError, "tm_py_register_error: bad code");
        return NULL;
    }
    Py_XINCREF(cls);
    Py_XSETREF(tm_py_error_classes[code], cls);
    Py_RETURN_NONE;
}
%}

/* ---- arrays ------------------------------------------------------------ */
%fragment("tm_py_array", "header", fragment="NumPy_Fragments") %{
static int tm_py_array(PyObject *obj, int typenum, int writeable, void **out, int argnum)
{
    if (obj == Py_None) {
        *out = NULL;
        return 1;
    }
    if (!PyArray_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "argument %d: expected a numpy array or None", argnum);
        return 0;
    }
    PyArrayObject *a = (PyArrayObject *)obj;
    if (PyArray_TYPE(a) != typenum || !PyArray_ISNOTSWAPPED(a)) {
        PyErr_Format(PyExc_TypeError, "argument %d: wrong dtype %R", argnum,
                     (PyObject *)PyArray_DESCR(a));
        return 0;
    }
    if (!PyArray_IS_C_CONTIGUOUS(a) || !PyArray_ISALIGNED(a)) {
        PyErr_Format(PyExc_ValueError, "argument %d: array is not C-contiguous and aligned",
                     argnum);
        return 0;
    }
    if (writeable && !PyArray_ISWRITEABLE(a)) {
        PyErr_Format(PyExc_ValueError, "argument %d: array is read-only", argnum);
        return 0;
    }
    *out = PyArray_DATA(a);
    return 1;
}
%}
%typemap(in, fragment="tm_py_array") const int32_t * {
    void *p;
    if (!tm_py_array($input, NPY_INT32, 0, &p, $argnum)) SWIG_fail;
    $1 = ($1_ltype)p;
}
%typemap(in, fragment="tm_py_array") int32_t * {
    void *p;
    if (!tm_py_array($input, NPY_INT32, 1, &p, $argnum)) SWIG_fail;
    $1 = ($1_ltype)p;
}
%typemap(in, fragment="tm_py_array") int64_t * {
    void *p;
    if (!tm_py_array($input, NPY_INT64, 1, &p, $argnum)) SWIG_fail;
    $1 = ($1_ltype)p;
}
%typemap(typecheck) const int32_t *, int32_t *, int64_t * "$1 = 1;";
/* tm_instance_get_weights() fills a float64 array */
%typemap(in, fragment="tm_py_array") double *out {
    void *p;
    if (!tm_py_array($input, NPY_DOUBLE, 1, &p, $argnum)) SWIG_fail;
    $1 = ($1_ltype)p;
}
%typemap(typecheck) double *out "$1 = 1;";

/* output scalars (by name; they win over the array typemaps above) */
%include <typemaps.i>
%apply int *OUTPUT { int32_t *culprit, int32_t *cap, int32_t *floor, int32_t *registered,
                     int32_t *eligible, int32_t *served, int32_t *min_years,
                     int32_t *max_years };
%apply long long *OUTPUT { int64_t *assignments };
%apply int *OUTPUT { int32_t *commissioner, int32_t *site, int32_t *by };
%apply double *OUTPUT { double *merit };

%typemap(in, numinputs=0) const char **detail (const char *tm_detail = NULL) {
    $1 = ($1_ltype)&tm_detail;
}
%typemap(argout) const char **detail {
    PyObject *s;
    if (tm_detail$argnum) {
        s = PyUnicode_FromString(tm_detail$argnum);
    } else {
        Py_INCREF(Py_None);
        s = Py_None;
    }
    $result = SWIG_Python_AppendOutput($result, s);
}

/* strings the caller frees with g_free() */
%typemap(newfree) char * "g_free($1);";
%newobject tm_rules_mask_codes;
%newobject tm_rules_to_data;
%newobject tm_config_to_data;
%newobject tm_form_diagnostic_to_string;
%newobject tm_form_diagnostics_markdown;
%newobject tm_instance_matching_to_json;
%newobject tm_instance_verdict_to_json;
%newobject tm_selection_assignments_csv;
%newobject tm_selection_assignments_json;
%newobject tm_selection_report_markdown;
%newobject tm_selection_wish_reason;
/* issue 11: documents in a language (output.h) and reasons (selection.h) */
%newobject tm_selection_reason;
%newobject tm_selection_report_markdown_with;
%newobject tm_selection_assignments_csv_with;
%newobject tm_review_effects_markdown_with;
%newobject tm_form_diagnostics_markdown_in;
%newobject tm_selection_report_html;
/* a GBytes the caller owns (tm_selection_assignments_xlsx) comes back as
 * bytes; NULL (an error, raised by the GError typemap) as None */
%typemap(out) GBytes * {
    if ($1 == NULL) {
        Py_INCREF(Py_None);
        $result = Py_None;
    } else {
        gsize tm_n = 0;
        const void *tm_d = g_bytes_get_data($1, &tm_n);
        $result = PyBytes_FromStringAndSize((const char *)tm_d, (Py_ssize_t)tm_n);
        g_bytes_unref($1);
    }
}
%apply unsigned long *OUTPUT { gsize *len };

/* Borrowed-pointer accessors and callback setters: the bulk accessors and
 * the helpers below cover them. */
%ignore tm_market_prefs;
%ignore tm_matching_partners;
%ignore tm_matching_blocking_pairs;
%ignore tm_verdict_blocking_pair;
%ignore tm_groups_members;
%ignore tm_programme_skill_ids;
%ignore tm_programme_need_ids;
%ignore tm_solve_options_set_progress;
%ignore tm_prefs_options_set_progress;
%ignore tm_select_options_set_progress;
%ignore tm_output_options_set_progress;
%ignore tm_file_write_atomic;
%ignore tm_error_quark;
/* issue 10: the rules' fault texts (g_free()) and the per-task counts */
%newobject tm_rules_agent_fault;
%newobject tm_rules_pair_fault;
/* issue 11: the programme's texts in a language (lang.h) */
%newobject tm_rules_agent_fault_lang;
%newobject tm_rules_pair_fault_lang;
%newobject tm_selection_wish_reason_lang;
%apply int *OUTPUT { int32_t *sites_asking, int32_t *sites_served, int32_t *sites_covered,
                     int32_t *offering, int32_t *selected };

/* plain structs are read-only from Python */
%immutable;
%include <techmatch/version.h>
%include <techmatch/error.h>
/* tm_lang_parse: the language comes back as an int */
%typemap(in, numinputs=0) TmLang *lang (TmLang tm_lang = TM_LANG_AUTO) {
    $1 = &tm_lang;
}
%typemap(argout) TmLang *lang {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)tm_lang$argnum));
}
%include <techmatch/lang.h>
%include <techmatch/cancel.h>
%include <techmatch/market.h>
%include <techmatch/matching.h>
%include <techmatch/solve.h>
%include <techmatch/groups.h>
%include <techmatch/instance.h>
%include <techmatch/profile.h>
%include <techmatch/tasks.h>
%include <techmatch/rules.h>
%include <techmatch/preferences.h>
%include <techmatch/forms.h>
%include <techmatch/selection.h>
%clear int32_t *sites_asking, int32_t *sites_served, int32_t *sites_covered, int32_t *offering,
       int32_t *selected;
%include <techmatch/config.h>
%include <techmatch/report.h>
%include <techmatch/output.h>

/* agreement.h: the drafts' names and texts come back as lists of str */
%typemap(in, numinputs=0) char ***names (char **tm_names = NULL) {
    $1 = &tm_names;
}
%typemap(in, numinputs=0) char ***texts (char **tm_texts = NULL) {
    $1 = &tm_texts;
}
%typemap(argout) char ***names, char ***texts {
    PyObject *list = PyList_New(0);
    for (char **p = *$1; p && *p; p++) {
        PyObject *s = PyUnicode_FromString(*p);
        PyList_Append(list, s);
        Py_DECREF(s);
    }
    g_strfreev(*$1);
    $result = SWIG_Python_AppendOutput($result, list);
}
%include <techmatch/agreement.h>

/* issue 10: the leading group's review (review.h, review_effects.h):
 * decisions read back as (kind, commissioner, site, note, source), effects
 * as (effect, commissioner, site, overrides) */
%apply const char **detail { const char **commissioner, const char **site, const char **note,
                             const char **source };
%apply int *OUTPUT { int32_t *commissioner_out, int32_t *site_out, int *side_out,
                     int32_t *agent_out };
%apply unsigned int *OUTPUT { uint32_t *overrides_out };
%newobject tm_review_effects_markdown;
%include <techmatch/review.h>
%include <techmatch/review_effects.h>
%clear const char **commissioner, const char **site, const char **note, const char **source,
       int32_t *commissioner_out, int32_t *site_out, int *side_out, int32_t *agent_out,
       uint32_t *overrides_out;


/* the lattice of stable matchings: output scalars by name, weights in */
%apply int *OUTPUT { int32_t *len, int32_t *n, int32_t *value, gboolean *complete };
%apply long long *OUTPUT { int64_t *value };
%apply double *OUTPUT { double *value };
%typemap(in, fragment="tm_py_array") const double *weights {
    void *p;
    if (!tm_py_array($input, NPY_DOUBLE, 0, &p, $argnum)) SWIG_fail;
    $1 = ($1_ltype)p;
}
%typemap(typecheck) const double *weights "$1 = 1;";
%include <techmatch/lattice.h>
%clear int32_t *len, int32_t *n, int32_t *value, gboolean *complete, int64_t *value,
       double *value;
%mutable;
/* edge files: TmEdgesOptions is filled in by Market.read_edges() */
%include <techmatch/edges.h>

/* the explanation of one agent (explain.h): output scalars by name */
%newobject tm_explanation_to_text;
%newobject tm_explanation_to_json;
%apply int *OUTPUT { TmSide *side_out, int32_t *id_out, int32_t *commissioner,
                     int32_t *position, int32_t *rank, TmQuotaUnit *unit };
%apply double *OUTPUT { double *merit };
%apply long long *OUTPUT { int64_t *used };
%include <techmatch/explain.h>
%clear TmSide *side_out, int32_t *id_out, int32_t *commissioner, int32_t *position,
       int32_t *rank, TmQuotaUnit *unit, double *merit, int64_t *used;

/* issue 13: sweeps (sweep.h) and jobs with their summary rows (job.h) */
%newobject tm_sweep_job_config_text;
%newobject tm_summary_format;
%include <techmatch/sweep.h>
%include <techmatch/job.h>

/* ---- small accessors for what SWIG cannot reach ------------------------ */
%inline %{
/* Side @side of a TmMatchingStats (the array member). */
static const TmSideStats *tm_py_stats_side(const TmMatchingStats *stats, int side)
{
    return stats && (side == 0 || side == 1) ? &stats->side[side] : NULL;
}
/* Entry @i of a string array of a profile (skills, needs, wishes). */
static const char *tm_py_strv_at(const char *const *v, int32_t i)
{
    return v ? v[i] : NULL;
}
/* Entry @i of a commissioner's expertise. */
static int32_t tm_py_expertise_sector(const TmCommissioner *c, int32_t i)
{
    return c && i >= 0 && i < c->n_expertise ? c->expertise[i].sector : -1;
}
static int32_t tm_py_expertise_level(const TmCommissioner *c, int32_t i)
{
    return c && i >= 0 && i < c->n_expertise ? c->expertise[i].level : -1;
}
/* The members of group @g: their number (-1 when out of range), and a copy
 * into @out (@capacity entries). */
static int32_t tm_py_groups_n_members(const TmGroups *groups, int32_t g)
{
    int32_t n = 0;
    return tm_groups_members(groups, g, &n) ? n : (g >= 0 && g < tm_groups_n(groups) ? 0 : -1);
}
static void tm_py_groups_copy_members(const TmGroups *groups, int32_t g, int32_t *out,
                                      int64_t capacity)
{
    int32_t n = 0;
    const int32_t *m = tm_groups_members(groups, g, &n);
    for (int32_t i = 0; m && i < n && i < capacity; i++)
        out[i] = m[i];
}
/* tm_rules_set_candidates() from plain values (the struct is read-only
 * from Python); the C setter checks every field. */
static gboolean tm_py_rules_set_candidates(TmRules *rules, int32_t k, int32_t site_k,
                                           int64_t exact_limit, int32_t auto_k,
                                           int32_t budget, int32_t site_budget,
                                           uint64_t seed, GError **error)
{
    TmCandidateParams p = { k, site_k, exact_limit, auto_k, budget, site_budget, seed };
    return tm_rules_set_candidates(rules, &p, error);
}
/* Component @k and side score of a TmScoreDetail. */
static double tm_py_detail_component(const TmScoreDetail *d, int k)
{
    return d && k >= 0 && k < TM_N_SCORE_COMPONENTS ? d->component[k] : -1.0;
}
static double tm_py_detail_score(const TmScoreDetail *d, int side)
{
    return d && (side == 0 || side == 1) ? d->score[side] : -1.0;
}
%}

/* ---- progress and interrupts ------------------------------------------- */
%{
typedef struct {
    PyObject *callable; /* or Py_None */
    TmCancel *cancel;   /* triggered when the callable raises or a signal arrives */
    PyObject *error;    /* the exception caught, or NULL */
} TmPyProgress;

static void tm_py_progress_cb(double fraction, gpointer data)
{
    TmPyProgress *p = data;
    PyGILState_STATE st = PyGILState_Ensure();
    if (p->error == NULL) {
        int failed = 0;
        if (p->callable != Py_None) {
            PyObject *r = PyObject_CallFunction(p->callable, "d", fraction);
            if (r == NULL)
                failed = 1;
            Py_XDECREF(r);
        }
        if (!failed && PyErr_CheckSignals() < 0)
            failed = 1;
        if (failed) {
            PyObject *type, *value, *tb;
            PyErr_Fetch(&type, &value, &tb);
            PyErr_NormalizeException(&type, &value, &tb);
            if (value != NULL && tb != NULL)
                PyException_SetTraceback(value, tb);
            Py_XDECREF(type);
            Py_XDECREF(tb);
            p->error = value;
            tm_cancel_trigger(p->cancel);
        }
    }
    PyGILState_Release(st);
}
%}

%nothread tm_py_progress_new;
%nothread tm_py_progress_free;
%nothread tm_py_progress_take_error;
%inline %{
/* A progress record calling @callable (None: none) with the fraction done,
 * checking for signals each time, and triggering @cancel on an exception.
 * Free with tm_py_progress_free() after the options that use it. */
static TmPyProgress *tm_py_progress_new(PyObject *callable, TmCancel *cancel)
{
    TmPyProgress *p = g_new0(TmPyProgress, 1);
    Py_INCREF(callable);
    p->callable = callable;
    p->cancel = tm_cancel_ref(cancel);
    return p;
}
static void tm_py_progress_free(TmPyProgress *p)
{
    if (p == NULL)
        return;
    Py_XDECREF(p->callable);
    Py_XDECREF(p->error);
    tm_cancel_unref(p->cancel);
    g_free(p);
}
/* The exception caught during the operation (a new reference), or None. */
static PyObject *tm_py_progress_take_error(TmPyProgress *p)
{
    PyObject *e = p && p->error ? p->error : Py_None;
    if (p && p->error)
        p->error = NULL;
    else
        Py_INCREF(e);
    return e;
}
static void tm_py_solve_options_set_progress(TmSolveOptions *o, TmPyProgress *p)
{
    tm_solve_options_set_progress(o, tm_py_progress_cb, p, NULL);
}
static void tm_py_prefs_options_set_progress(TmPrefsOptions *o, TmPyProgress *p)
{
    tm_prefs_options_set_progress(o, tm_py_progress_cb, p, NULL);
}
static void tm_py_select_options_set_progress(TmSelectOptions *o, TmPyProgress *p)
{
    tm_select_options_set_progress(o, tm_py_progress_cb, p, NULL);
}
/* The write progress of output.h (None: cleared); the write cannot be
 * stopped, so an exception from the callable is kept for the caller. */
static void tm_py_output_options_set_progress(TmOutputOptions *o, TmPyProgress *p)
{
    tm_output_options_set_progress(o, p != NULL ? tm_py_progress_cb : NULL, p);
}
%}
