/* techmatch — private to the io layer: what the edge-list reader and writer
 * share (include/techmatch/edges.h).  Not installed. */
#ifndef TECHMATCH_IO_EDGES_PRIVATE_H
#define TECHMATCH_IO_EDGES_PRIVATE_H

#include <glib.h>

/* The separator that @path's extension names: '\t' for .tsv and .txt, ','
 * for .csv (any case), 0 for anything else. */
G_GNUC_INTERNAL char tm_i_edges_separator(const char *path);

#endif /* TECHMATCH_IO_EDGES_PRIVATE_H */
