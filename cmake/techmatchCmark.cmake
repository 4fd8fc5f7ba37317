# techmatch — find cmark-gfm and its extensions library (report.html,
# src/io/report_html.c) as the imported target PkgConfig::CMARKGFM.
# Used by the build (CMakeLists.txt) and by the installed CMake package
# (techmatchConfig.cmake, for the static library); sets TM_CMARKGFM_FOUND.
#
# pkg-config knows `libcmark-gfm`; Debian's .pc also links
# -lcmark-gfm-extensions, upstream's may not, and there may be a separate
# `libcmark-gfm-extensions` module: the extensions library is added to the
# target when its link line lacks it.
set(TM_CMARKGFM_FOUND FALSE)
if(NOT TARGET PkgConfig::CMARKGFM)
  pkg_check_modules(CMARKGFM QUIET IMPORTED_TARGET libcmark-gfm)
endif()
if(TARGET PkgConfig::CMARKGFM)
  get_target_property(_tm_cmark_libs PkgConfig::CMARKGFM INTERFACE_LINK_LIBRARIES)
  set(_tm_cmark_ext FALSE)
  if("${_tm_cmark_libs}" MATCHES "cmark-gfm-extensions|CMARKGFMEXT")
    set(_tm_cmark_ext TRUE)
  else()
    pkg_check_modules(CMARKGFMEXT QUIET IMPORTED_TARGET libcmark-gfm-extensions)
    if(TARGET PkgConfig::CMARKGFMEXT)
      set_property(TARGET PkgConfig::CMARKGFM APPEND PROPERTY
                   INTERFACE_LINK_LIBRARIES PkgConfig::CMARKGFMEXT)
      set(_tm_cmark_ext TRUE)
    else()
      find_library(TM_CMARKGFM_EXTENSIONS_LIBRARY cmark-gfm-extensions
                   HINTS ${CMARKGFM_LIBRARY_DIRS})
      if(TM_CMARKGFM_EXTENSIONS_LIBRARY)
        set_property(TARGET PkgConfig::CMARKGFM APPEND PROPERTY
                     INTERFACE_LINK_LIBRARIES ${TM_CMARKGFM_EXTENSIONS_LIBRARY})
        set(_tm_cmark_ext TRUE)
      endif()
    endif()
  endif()
  find_path(TM_CMARKGFM_EXTENSIONS_INCLUDE_DIR cmark-gfm-core-extensions.h
            HINTS ${CMARKGFM_INCLUDE_DIRS})
  if(_tm_cmark_ext AND TM_CMARKGFM_EXTENSIONS_INCLUDE_DIR)
    set(TM_CMARKGFM_FOUND TRUE)
  endif()
endif()
