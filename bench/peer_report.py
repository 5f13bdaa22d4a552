#!/usr/bin/env python3
"""The peer: a month's counts from the case files with Python + PyYAML.

bench/peer_report.py DIR YYYY-MM prints, as JSON, what a user would script
by hand for the month report: cases received in the month, by level (the
stored severity) and by category.  It reads every case file, like
`complaint report`, with PyYAML's C loader (yaml.CSafeLoader).
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone

import yaml


def main():
    root, month = sys.argv[1], sys.argv[2]
    year, mon = (int(x) for x in month.split("-"))
    zone = timezone(timedelta(hours=8))  # the default policy's Asia/Shanghai
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    received, by_level, by_category = 0, {}, {}
    cases = os.path.join(root, "cases")
    for y in sorted(os.listdir(cases)):
        for m in sorted(os.listdir(os.path.join(cases, y))):
            d = os.path.join(cases, y, m)
            for name in sorted(os.listdir(d)):
                if not name.endswith(".yaml"):
                    continue
                with open(os.path.join(d, name), "rb") as f:
                    case = yaml.load(f, Loader=yaml.CSafeLoader)
                t = case["received_at"]
                if isinstance(t, str):
                    t = datetime.fromisoformat(t)
                if start <= t < end:
                    received += 1
                    lv = case.get("severity")
                    by_level[lv] = by_level.get(lv, 0) + 1
                    cat = case.get("category")
                    by_category[cat] = by_category.get(cat, 0) + 1
    json.dump({"received": received, "by_severity": by_level,
               "by_category": by_category}, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
