/* techmatch — the plan's six task types (主要任务), a controlled vocabulary.
 *
 *   index code            中文                    English
 *   0     demonstration   示范园区和企业建设       demonstration parks and enterprises
 *   1     tech_transfer   技术引进与推广           technology introduction and spread
 *   2     strategy        创新战略与管理           innovation strategy and management
 *   3     key_rd          关键技术研发             joint R&D on key technologies
 *   4     training        人才培养                 talent training
 *   5     health          社区卫生服务             community health services
 *
 * Commissioners say which tasks they offer and sites which they ask for
 * (profile.h: the `tasks` bit sets; forms: the `tasks` / 任务类型 column).
 * Free need and skill tags stay allowed beside them.  Indices and codes are
 * stable.  Synonyms accepted by tm_task_from_string() are listed in
 * docs/forms.md.
 */
#ifndef TECHMATCH_TASKS_H
#define TECHMATCH_TASKS_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>

G_BEGIN_DECLS

typedef enum {
    TM_TASK_DEMONSTRATION = 0,
    TM_TASK_TECH_TRANSFER = 1,
    TM_TASK_STRATEGY = 2,
    TM_TASK_KEY_RD = 3,
    TM_TASK_TRAINING = 4,
    TM_TASK_HEALTH = 5,
} TmTask;

#define TM_N_TASKS 6
/** All task bits. */
#define TM_TASKS_ALL ((uint32_t)((1u << TM_N_TASKS) - 1u))

/** tm_task_code: stable ASCII code (static), NULL when out of range. */
TM_API const char *tm_task_code(TmTask task);
/** tm_task_name_zh: Chinese name (static), NULL when out of range. */
TM_API const char *tm_task_name_zh(TmTask task);
/** tm_task_name_en: English name (static), NULL when out of range. */
TM_API const char *tm_task_name_en(TmTask task);
/** tm_task_from_string:
 * The task named by a code, a Chinese or English name or a synonym (blanks
 * around ignored, ASCII case-insensitive), or -1 when unknown or NULL. */
TM_API int tm_task_from_string(const char *text);

G_END_DECLS

#endif /* TECHMATCH_TASKS_H */
