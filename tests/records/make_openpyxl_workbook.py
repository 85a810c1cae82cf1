"""Writes the openpyxl workbooks the xlsx reader tests read (tests/records/xlsx_reader_test.cpp).

usage: make_openpyxl_workbook.py OUT_DIR
  types.xlsx      shared strings, numbers, booleans, dates and date-times, a gap cell, a missing row, an error cell
  types1904.xlsx  the same dates in the 1904 date system
  duplicate.xlsx  a header with two columns named 'key'
"""
import datetime
import os
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def types(path, epoch=None):
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "申请人"
    ws.append(["key", "姓名", "total", "ok", "since", "at"])
    ws.append(["A001", "张三", 120, True, datetime.date(2021, 3, 31), datetime.datetime(2021, 3, 31, 8, 30, 15)])
    # the earliest days of each date system: 1900-03-01 is serial 61 (after the leap day 1900 did not have)
    early = datetime.date(1900, 3, 1) if epoch is None else datetime.date(1904, 1, 2)
    first = datetime.date(1900, 1, 1) if epoch is None else datetime.date(1904, 1, 1)
    ws.append(["A002", None, 0.1, False, early, None])
    # row 4 left out; row 5 holds an error value in its last cell
    ws.cell(row=5, column=1, value="A003")
    ws.cell(row=5, column=3, value="#N/A")
    ws.cell(row=6, column=1, value="A004")
    ws.cell(row=6, column=3, value=1234567.891)
    ws.cell(row=6, column=5, value=first)
    other = wb.create_sheet("其他")
    other.append(["only"])
    wb.save(path)


def duplicate(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["key", "name", " key "])
    ws.append(["1", "x", "y"])
    wb.save(path)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    types(os.path.join(out, "types.xlsx"))
    types(os.path.join(out, "types1904.xlsx"), CALENDAR_MAC_1904)
    duplicate(os.path.join(out, "duplicate.xlsx"))
