/* techmatch — symbol visibility.
 *
 * The library is compiled with hidden visibility; only functions marked
 * TM_API are exported from the shared object.
 */
#ifndef TECHMATCH_EXPORT_H
#define TECHMATCH_EXPORT_H

#if defined(_WIN32)
#  if defined(TM_BUILDING_SHARED)
#    define TM_API __declspec(dllexport)
#  else
#    define TM_API
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define TM_API __attribute__((visibility("default")))
#else
#  define TM_API
#endif

#endif /* TECHMATCH_EXPORT_H */
