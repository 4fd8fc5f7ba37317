#!/usr/bin/python3
"""Writes .xlsx copies of a programme's two CSV forms (docs/forms.md, "Excel
workbooks"), as an office would keep them: one workbook per form, the form
on a sheet named after it (需求登记表 / 申请表), cells that are numbers in the
CSV written as numbers, every other cell as a string; the configuration
(programme.ini) is copied beside them.

    scripts/forms-xlsx.py [SRC_DIR [DEST_DIR]]
        (default: seeds/jinshui-2011 -> examples/jinshui-2011-xlsx)

Needs Debian's python3-openpyxl (/usr/bin/python3).  The workbooks are
reproducible: fixed document dates and zip entry times.
"""
import csv
import datetime
import io
import os
import re
import shutil
import sys
import zipfile

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMS = (("sites", "需求登记表"), ("commissioners", "申请表"))
# a number exactly as the CSV writes it (no leading zeros, no exponent): it
# reads back as the same text
NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
FIXED = datetime.datetime(2011, 1, 1)


def cell_value(text):
    if NUMBER.match(text):
        if "." in text:
            value = float(text)
            if repr(value) == text:  # e.g. 6.2, 12.5; "1.0" would read back as 1
                return value
            return text
        return int(text)
    return text


def write_workbook(csv_path, xlsx_path, sheet):
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "":
                continue
            ws.cell(row=r + 1, column=c + 1,
                    value=text if r == 0 else cell_value(text))
    wb.properties.creator = "techmatch scripts/forms-xlsx.py"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    # the same entries with fixed times (and openpyxl's modified date, which
    # it sets to now on save, fixed too)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(xlsx_path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                              rb"\g<1>2011-01-01T00:00:00Z", data)
            out = zipfile.ZipInfo(info.filename, date_time=(2011, 1, 1, 0, 0, 0))
            out.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(out, data)


def main(argv):
    src = argv[1] if len(argv) > 1 else os.path.join(ROOT, "seeds", "jinshui-2011")
    dest = argv[2] if len(argv) > 2 else os.path.join(ROOT, "examples", "jinshui-2011-xlsx")
    os.makedirs(dest, exist_ok=True)
    for en, zh in FORMS:
        write_workbook(os.path.join(src, en + ".csv"), os.path.join(dest, en + ".xlsx"), zh)
    ini = os.path.join(src, "programme.ini")
    if os.path.exists(ini):
        shutil.copyfile(ini, os.path.join(dest, "programme.ini"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
