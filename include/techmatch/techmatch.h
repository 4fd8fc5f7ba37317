/* techmatch — umbrella header: include this one. */
#ifndef TECHMATCH_H
#define TECHMATCH_H

#include <techmatch/export.h>
#include <techmatch/version.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/solve.h>
#include <techmatch/groups.h>
#include <techmatch/instance.h>

#endif /* TECHMATCH_H */
