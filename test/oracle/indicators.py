#!/usr/bin/env python3
"""Independent oracle for the indicators of `finproc simulate`.

Written from docs/simulate.md ("What is reported") only, never from src/.  Reads a
`finproc.simulation/1` JSON document on stdin (every State listed, no --top or
--states filter) and recomputes, for the baseline and each scenario, every indicator
from the per-State amounts, with fractions.Fraction (exact), except the small-contributor
ones (they need the States' rates, which the document does not carry).  Prints one JSON
object: scenario id -> indicator -> string, written as the document writes them.
"""

import json
import sys
from fractions import Fraction

HALF = Fraction(1, 2)


def rounded(x, places):
    """x to `places` decimals, half away from zero, as a string."""
    scale = 10 ** places
    q = abs(x) * scale
    n = int(q)
    if q - n >= HALF:
        n += 1
    digits = str(n).rjust(places + 1, "0")
    body = digits[:-places] + "." + digits[-places:] if places else digits
    return "-" + body if x < 0 and n != 0 else body


def amount(x, places):
    """An exact amount with at least `places` decimals (more only if it needs them)."""
    for p in range(places, places + 6):
        if (x * 10 ** p).denominator == 1:
            return rounded(x, p)
    raise ValueError(x)


def indicators(rows, key, places, within=Fraction(0)):
    """rows: list of (iso3, ldc, baseline, amount) with None for 'not a payer'."""
    out = {}
    payers = [(iso3, ldc, a) for iso3, ldc, b, a in rows if a is not None]
    total = sum(a for _, _, a in payers)
    out["payers"] = str(len(payers))
    out["assessed"] = amount(total, places)
    both = [(iso3, b, a) for iso3, ldc, b, a in rows if a is not None and b is not None]
    # docs/simulate.md: a move of no more than `within` (one rounding unit of the coarser of
    # the two policies compared, unless --same-within says otherwise) counts as "same".
    more = [(iso3, b, a) for iso3, b, a in both if a - b > within]
    out["more"] = str(len(more))
    out["less"] = str(sum(1 for _, b, a in both if b - a > within))
    out["same"] = str(sum(1 for _, b, a in both if abs(a - b) <= within))
    out["joined"] = str(sum(1 for _, _, b, a in rows if a is not None and b is None))
    out["left"] = str(sum(1 for _, _, b, a in rows if a is None and b is not None))
    if more:
        # Largest difference; ties to the first ISO3 in alphabetical order.
        best = sorted(more, key=lambda r: (-(r[2] - r[1]), r[0]))[0]
        out["largest_increase_iso3"] = best[0]
        out["largest_increase"] = amount(best[2] - best[1], places)
        rel = [r for r in more if r[1] > 0]
        if rel:
            best = sorted(rel, key=lambda r: (-((r[2] - r[1]) / r[1]), r[0]))[0]
            out["largest_relative_iso3"] = best[0]
            out["largest_relative_pct"] = rounded((best[2] - best[1]) / best[1] * 100, 2)
    ldc = sum(a for _, is_ldc, a in payers if is_ldc)
    out["ldc_total"] = amount(ldc, places)
    if total:
        out["ldc_share_pct"] = rounded(ldc / total * 100, 2)
        top5 = sum(sorted((a for _, _, a in payers), reverse=True)[:5])
        out["top5_share_pct"] = rounded(top5 / total * 100, 2)
        out["hhi"] = rounded(sum((a / total) ** 2 for _, _, a in payers) * 10000, 2)
    if payers:
        low = sorted(payers, key=lambda r: (r[2], r[0]))[0]
        out["min_iso3"] = low[0]
        out["min"] = amount(low[2], places)
        values = sorted(a for _, _, a in payers)
        m = len(values)
        med = values[m // 2] if m % 2 else (values[m // 2 - 1] + values[m // 2]) / 2
        out["median"] = amount(med, places)
    return out


def main():
    doc = json.load(sys.stdin)
    places = len(doc["total"].split(".")[1]) if "." in doc["total"] else 0
    frac = lambda s: None if s is None else Fraction(s)
    result = {}
    ids = ["baseline"] + [s["id"] for s in doc["scenarios"] if s["status"] == "ok"]
    unit = {"baseline": Fraction(doc["baseline"]["policy"]["rounding"]["unit"])}
    for s in doc["scenarios"]:
        unit[s["id"]] = Fraction(s["policy"]["rounding"]["unit"])
    # Optional argument: the --same-within amount the document was made with.
    given = Fraction(sys.argv[1]) if len(sys.argv) > 1 else None
    for sid in ids:
        rows = []
        for st in doc["states"]:
            b = frac(st["baseline"])
            a = b if sid == "baseline" else frac(st["scenarios"].get(sid))
            rows.append((st["iso3"], st["ldc"], b, a))
        within = given if given is not None else max(unit["baseline"], unit[sid])
        result[sid] = indicators(rows, sid, places, within)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
