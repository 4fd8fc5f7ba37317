#!/usr/bin/python3
"""Writes a large, deterministic pair of programme forms for benchmarks.

    scripts/gen-forms.py OUT_DIR [--commissioners N] [--sites M] [--seed S]

OUT_DIR receives sites.csv (the demand registration form, 需求登记表) and
commissioners.csv (the application form, 申请表) in the layout of
seeds/jinshui-2011 (Chinese headers, docs/forms.md): sites of every kind
and sector of the default taxonomy with needs, minimum titles, terms,
capacities (1-5 places), coordinates on a 60 km square and now and then a
short list of wanted commissioners; commissioners and teams with titles,
dispatching units, the unit's support (mostly yes), one or two sectors of
expertise with levels, skills, merit scores (60-100) and up to five wished
sites, most of them in a sector of their expertise and near them.

The same arguments always write the same bytes (random.Random(seed)); no
configuration file is written, so `techmatch run OUT_DIR` uses the built-in
rules (every pair screened, top-50 candidate lists beyond 10^7 pairs).
Used by bench/run-forms.sh (bench/RESULTS.md, "techmatch run at scale").
"""
import argparse
import csv
import os
import random
import sys

SECTORS = [  # code, weight among sites, need / skill tags
    ("eit", 5, ["物联网", "软件开发", "大数据", "集成电路", "信息安全"]),
    ("culture", 3, ["动漫设计", "文化传播", "创意设计", "数字出版"]),
    ("food", 4, ["食品检测", "冷链物流", "工艺改进", "食品安全"]),
    ("materials", 3, ["复合材料", "涂层工艺", "材料检测", "节能环保"]),
    ("agri", 4, ["种植技术", "畜牧养殖", "农产品加工", "农业机械"]),
    ("health", 2, ["社区医疗", "健康管理", "慢病防治", "卫生服务"]),
]
# the default taxonomy's Chinese names (what the forms carry) and a word for names
ZH = {"eit": ("电子信息", "电子"), "culture": ("文化创意", "文创"), "food": ("食品加工", "食品"),
      "materials": ("新材料", "材料"), "agri": ("农业农村", "农业"), "health": ("社区卫生", "健康")}
SITE_KINDS = [("高新技术企业", 4), ("创新型企业", 3), ("有研发中心或承担过科技项目的企业", 2),
              ("科技园区", 1), ("农业示范基地", 2), ("示范村", 2), ("社区", 2), ("其他", 1)]
KIND_SECTOR = {"农业示范基地": "agri", "示范村": "agri", "社区": "health"}
TITLES = [("教授", 2), ("副教授", 3), ("研究员", 2), ("高级工程师", 3), ("工程师", 4),
          ("讲师", 3), ("农艺师", 1), ("主治医师", 1), ("助教", 1), ("技术员", 1)]
UNITS = [("郑州大学", "高校"), ("河南农业大学", "高校"), ("河南工业大学", "高校"),
         ("郑州轻工业大学", "高校"), ("河南省农业科学院", "科研院所"),
         ("河南省科学院", "科研院所"), ("中国科学院郑州分院", "科研院所"),
         ("金水区农业技术推广站", "事业单位"), ("金水区人民医院", "事业单位"),
         ("郑州市疾病预防控制中心", "事业单位"), ("某科技股份有限公司", "企业")]
UNIT_WEIGHTS = [5, 3, 3, 2, 3, 2, 1, 2, 2, 1, 2]
TASKS = ["示范园区和企业建设", "技术引进与推广", "创新战略与管理", "关键技术研发", "人才培养",
         "社区卫生服务"]
STREETS = ["国基路街道", "花园路街道", "丰产路街道", "经八路街道", "文化路街道", "南阳路街道",
           "杜岭街道", "大石桥街道", "兴达路街道", "未来路街道", "东风路街道", "北林路街道",
           "丰庆路街道", "凤凰台街道", "祭城路街道", "杨金路街道", "如意湖街道"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建华明国强伟芳娜敏静丽军杰涛超磊洋勇艳平刚桂英秀兰霞辉鹏飞文博宇浩然思雨欣怡子涵志成"
SIDE_KM = 60.0


def pick(rng, pairs):
    items = [p[0] for p in pairs]
    return rng.choices(items, weights=[p[1] for p in pairs])[0]


def sites(rng, n):
    sector_codes = [s[0] for s in SECTORS]
    sector_weights = [s[1] for s in SECTORS]
    tags = {s[0]: s[2] for s in SECTORS}
    rows = []
    for i in range(n):
        kind = pick(rng, SITE_KINDS)
        sector = KIND_SECTOR.get(kind) or rng.choices(sector_codes, weights=sector_weights)[0]
        street = rng.choice(STREETS)
        if kind in ("示范村", "社区"):
            name = f"{street[:-2]}{i + 1:05d}{'村' if kind == '示范村' else '社区'}"
        elif kind == "科技园区":
            name = f"金水{ZH[sector][1]}科技园{i + 1:05d}区"
        elif kind == "农业示范基地":
            name = f"金水农业示范基地{i + 1:05d}"
        else:
            name = f"郑州{rng.choice('华信中原天网新科恒达创元')}{ZH[sector][1]}科技有限公司{i + 1:05d}"
        rows.append({
            "name": name, "kind": kind, "sector": sector, "sector_zh": ZH[sector][0],
            "clinic": "是" if kind == "社区" and rng.random() < 0.7 else "",
            "needs": "；".join(rng.sample(tags[sector], rng.randint(1, 3))),
            "min_title": rng.choices(["", "中级", "高级"], weights=[3, 5, 2])[0],
            "years": rng.choice([1, 1, 2]),
            "capacity": rng.choices([1, 2, 3, 4, 5], weights=[40, 30, 15, 10, 5])[0],
            "x": round(rng.uniform(0, SIDE_KM), 1), "y": round(rng.uniform(0, SIDE_KM), 1),
            "location": street,
            "tasks": "；".join(rng.sample(TASKS[:5] if sector != "health" else TASKS,
                                         rng.randint(1, 2))),
        })
    return rows


def commissioners(rng, n, site_rows):
    by_sector = {}
    for j, s in enumerate(site_rows):
        by_sector.setdefault(s["sector"], []).append(j)
    sector_codes = [s[0] for s in SECTORS]
    tags = {s[0]: s[2] for s in SECTORS}
    rows = []
    for i in range(n):
        team = rng.random() < 0.05
        unit, unit_kind = rng.choices(UNITS, weights=UNIT_WEIGHTS)[0]
        main = rng.choice(sector_codes)
        expertise = [f"{ZH[main][0]}:{rng.randint(2, 3)}"]
        if rng.random() < 0.4:
            other = rng.choice([c for c in sector_codes if c != main])
            expertise.append(f"{ZH[other][0]}:{rng.randint(1, 2)}")
        x, y = round(rng.uniform(0, SIDE_KM), 1), round(rng.uniform(0, SIDE_KM), 1)
        wishes = []
        for _ in range(rng.choices([0, 1, 2, 3, 4, 5], weights=[10, 10, 15, 20, 20, 25])[0]):
            pool = by_sector.get(main) if rng.random() < 0.8 else None
            j = rng.choice(pool) if pool else rng.randrange(len(site_rows))
            if j not in wishes:
                wishes.append(j)
        if team:
            name = f"{unit}{ZH[main][1]}技术团队{i + 1:06d}"
        else:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))) \
                + f"{i + 1:06d}"
        rows.append({
            "name": name, "title": pick(rng, TITLES), "unit": unit, "unit_kind": unit_kind,
            "unit_support": "是" if rng.random() < 0.95 else "否",
            "team_size": rng.randint(3, 8) if team else 1,
            "expertise": "；".join(expertise),
            "skills": "；".join(rng.sample(tags[main], rng.randint(1, 3))),
            "years": rng.choice([1, 2, 2]),
            "capacity": rng.randint(2, 3) if team else 1,
            "x": x, "y": y, "location": unit,
            "merit": round(rng.uniform(60, 100), 1),
            "wishes": wishes,
            "tasks": "；".join(rng.sample(TASKS, rng.randint(1, 3))),
        })
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--commissioners", type=int, default=100000)
    ap.add_argument("--sites", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=20110101)
    args = ap.parse_args()
    if args.commissioners < 1 or args.sites < 1:
        ap.error("--commissioners and --sites must be at least 1")
    rng = random.Random(args.seed)
    s_rows = sites(rng, args.sites)
    c_rows = commissioners(rng, args.commissioners, s_rows)
    # a fifth of the sites name up to three commissioners they would like
    for s in s_rows:
        s["ranked"] = "；".join(c_rows[k]["name"] for k in
                               rng.sample(range(len(c_rows)), min(len(c_rows), rng.randint(1, 3))))\
            if rng.random() < 0.2 else ""
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "sites.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["序号", "名称", "类型", "行业", "卫生服务站", "需求", "最低职称", "服务年限",
                    "名额", "横坐标", "纵坐标", "地址", "意向特派员", "任务类型"])
        for i, s in enumerate(s_rows):
            w.writerow([i + 1, s["name"], s["kind"], s["sector_zh"], s["clinic"], s["needs"],
                        s["min_title"], s["years"], s["capacity"], s["x"], s["y"],
                        s["location"], s["ranked"], s["tasks"]])
    with open(os.path.join(args.out_dir, "commissioners.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["序号", "姓名", "职称", "派出单位", "单位类型", "单位支持", "团队人数", "专长",
                    "技能", "服务年限", "服务点数", "横坐标", "纵坐标", "地址", "评分",
                    "意向派驻点", "任务类型"])
        for i, c in enumerate(c_rows):
            w.writerow([i + 1, c["name"], c["title"], c["unit"], c["unit_kind"],
                        c["unit_support"], c["team_size"], c["expertise"], c["skills"],
                        c["years"], c["capacity"], c["x"], c["y"], c["location"], c["merit"],
                        "；".join(s_rows[j]["name"] for j in c["wishes"]), c["tasks"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
