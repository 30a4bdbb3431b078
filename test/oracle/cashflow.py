#!/usr/bin/env python3
"""Independent oracle for finproc's cash-flow projection (docs/cashflow.md).

Written from docs/cashflow.md and docs/ledger.md only (never from src/).  The accounts are
replayed with the ledger oracle's own Account (test/oracle/ledger.py).  Standard library
plus PyYAML (for the policy's reserve key).  All CHF arithmetic is in integer centimes.

Usage:
    python3 test/oracle/cashflow.py BOOKS_DIR --year YYYY --as-of YYYY-MM-DD

Prints one JSON document: the months, the flags and the expected receipts.
Readings of points the docs leave open are marked "READING:".
"""

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledger as L  # noqa: E402
import yaml  # noqa: E402

ONE_DAY = datetime.timedelta(days=1)


def cents(s, what):
    return L.centimes(s, what)


def replay_accounts(books, as_of):
    """Every State's assessed account as of D, by the ledger oracle's rules."""
    lines = [L.Line(r) for r in L.read_csv(os.path.join(books, "assessments.csv"), True)]
    pays = L.read_csv(os.path.join(books, "payments.csv"), False)
    adjs = L.read_csv(os.path.join(books, "adjustments.csv"), False)
    events = {}

    def add(iso3, key, kind, x):
        events.setdefault(iso3, []).append((key, kind, x))

    for l in lines:
        if l.issued <= as_of:
            add(l.iso3, (l.issued, L.RANK["line"], l.invoice, l.category), "line", l)
    for r in pays:
        purpose = r.get("purpose") or "isu"
        received = L.parse_date(r["received"], "payment")
        if purpose not in ("isu", "meeting") or received > as_of:
            continue
        chf = cents(r["chf"] or r["amount"], "payment")
        ey, ec, ei = r.get("earmark_year", ""), r.get("earmark_category", ""), r.get("earmark_invoice", "")
        earmark = ("invoice", ei) if ei else (("year", int(ey), ec or None) if ey else None)
        add(r["iso3"], (received, L.RANK["payment"], r["payment_id"], ""), "payment",
            {"payment_id": r["payment_id"], "chf": chf, "earmark": earmark})
    for r in adjs:
        date = L.parse_date(r["date"], "adjustment")
        if date > as_of:
            continue
        add(r["iso3"], (date, L.RANK[r["kind"]], r["adjustment_id"], ""), r["kind"],
            {"id": r["adjustment_id"], "invoice": r.get("invoice", ""), "category": r.get("category", ""),
             "amount": cents(r["amount"], "adjustment")})
    accounts = {}
    for iso3, evs in events.items():
        acc = L.Account(iso3)
        accounts[iso3] = acc
        evs.sort(key=lambda e: e[0])
        for key, kind, x in evs:
            date = key[0]
            if kind == "line":
                acc.issue(x)
            elif kind == "payment":
                acc.payment(x["payment_id"], x["chf"], x["earmark"], date)
            elif kind == "refund":
                acc.refund(x["amount"], date, x["id"])
            else:
                cands = [l for l in acc.lines if l.invoice == x["invoice"] and (not x["category"] or l.category == x["category"])]
                if kind == "reassessment":
                    acc.raise_(cands[0], x["amount"])
                else:
                    acc.reduce(cands[0], x["amount"], date, x["id"])
            acc.apply(date)
    return accounts, pays


def invoices_of(acc, year, as_of):
    """(history, open) of one account: docs/cashflow.md, Expected receipts, step 3."""
    by = {}
    for l in acc.lines:
        if l.purpose != "isu" or l.year > year:
            continue
        inv = by.setdefault(l.invoice, {"year": l.year, "due": l.due_date, "owed": 0, "settled": 0, "lines": []})
        inv["owed"] += l.due
        inv["settled"] += l.settled
        inv["lines"].append(l)
    history, open_ = [], []
    for invoice, inv in sorted(by.items(), key=lambda kv: (kv[1]["year"], kv[1]["due"], kv[0])):
        if inv["owed"] > inv["settled"]:
            open_.append((invoice, inv["year"], inv["due"], inv["owed"] - inv["settled"]))
        if inv["year"] == year or inv["due"] > as_of or inv["owed"] == 0:
            continue
        if inv["settled"] >= inv["owed"]:
            # Paid in full on the date of the last allocation to its lines (lines due > 0).
            dates = [a.date for a in acc.allocs if a.line in inv["lines"] and a.line.due > 0 and a.net > 0]
            history.append((max(dates) - inv["due"]).days)
        else:
            history.append(None)
    return history, open_


def lower_median(xs):
    xs = sorted(xs)
    return xs[(len(xs) + 1) // 2 - 1]


def expected_date(history, due, as_of):
    """None when not expected, else the date (docs: outcomes still possible, median)."""
    if not history:
        d = due
    else:
        elapsed = (as_of - due).days
        left = [h for h in history if h is None or h > elapsed]
        paid = [h for h in left if h is not None]
        if not left or len(left) - len(paid) > len(paid):
            return None
        d = due + datetime.timedelta(days=lower_median(paid))
    return d if d > as_of else as_of + ONE_DAY


def pledges_unpaid(books, pays, as_of):
    """Unpaid rest of each isu/reserve pledge made on or before D, in CHF.

    READING: a payment counts in the pledge's currency by the amount sent when the
    currencies agree, by the CHF credited for a CHF pledge; any other pairing is refused
    (the books tested here have none).  The rest of a foreign pledge is valued at the rate
    of D, rounded to the centime half-even (docs/ledger.md)."""
    from decimal import Decimal
    from fractions import Fraction
    rows = L.read_csv(os.path.join(books, "pledges.csv"), False)
    rates = L.Rates(L.read_csv(os.path.join(books, "exchange-rates.csv"), False))
    pledges = [r for r in rows if r["purpose"] in ("isu", "reserve") and L.parse_date(r["pledged"], "pledge") <= as_of]
    for p in pledges:
        p["rest"] = Fraction(Decimal(p["amount"]))
    order = sorted(pledges, key=lambda p: (p["expected"], p["pledged"], p["pledge_id"]))
    received = sorted((r for r in pays if (r.get("purpose") or "isu") in ("isu", "reserve")
                       and L.parse_date(r["received"], "payment") <= as_of),
                      key=lambda r: (r["received"], r["payment_id"]))
    for r in received:
        cands = [p for p in order if p["iso3"] == r["iso3"] and p["purpose"] == (r.get("purpose") or "isu")
                 and p["pledged"] <= r["received"] and p["rest"] > 0]
        named = [p for p in cands if p["pledge_id"] == r.get("pledge")]
        cands = named + [p for p in cands if p["pledge_id"] != r.get("pledge")]
        if not cands:
            continue
        cur = cands[0]["currency"]
        if any(p["currency"] != cur for p in cands):
            raise L.OracleError(f"payment {r['payment_id']}: pledges in several currencies")
        if cur == "CHF":
            left = Fraction(cents(r["chf"] or r["amount"], "payment"), 100)
        elif r["currency"] == cur:
            left = Fraction(Decimal(r["amount"]))
        else:
            raise L.OracleError(f"payment {r['payment_id']}: sent in {r['currency']} for a {cur} pledge")
        for p in cands:
            take = min(left, p["rest"])
            p["rest"] -= take
            left -= take
    out = []
    for p in pledges:
        if p["rest"] <= 0:
            continue
        chf = p["rest"] * rates.rate(p["currency"], as_of)
        p["rest_c"] = round(chf * 100)      # half-even
        out.append(p)
    return out


def unpledged(open_, pledges):
    """The rest of each open invoice (oldest first) once the State's isu pledges are set
    against them (docs/cashflow.md, step 3): first each pledge covers what is open of the
    invoice of its own year; then what is left of the pledges covers the oldest open
    invoices not yet covered; what is left after that covers nothing.

    READING: "the State's open invoice of the pledge's own year" -- should a State have
    several open invoices of one year, the pledge covers them oldest first."""
    rest = [amount for _, _, _, amount in open_]
    left_over = 0
    for pyear, amount in pledges:
        for i, (_, y, _, _) in enumerate(open_):
            if y == pyear:
                cover = min(amount, rest[i])
                rest[i] -= cover
                amount -= cover
        left_over += amount
    for i in range(len(rest)):
        cover = min(left_over, rest[i])
        rest[i] -= cover
        left_over -= cover
    return rest


def project(books, year, as_of):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    accounts, pays = replay_accounts(books, as_of)
    receipts = []   # (date or None, fund, source, iso3, ref, amount)
    for r in pays:
        purpose = r.get("purpose") or "isu"
        d = L.parse_date(r["received"], "payment")
        if purpose in ("isu", "reserve") and first <= d <= min(as_of, last):
            receipts.append((d, "reserve" if purpose == "reserve" else "operating", "payment", r["iso3"], r["payment_id"], cents(r["chf"] or r["amount"], "payment")))
    pledged_for = {}   # iso3 -> [(the year the pledge is for, CHF still expected)]
    for p in pledges_unpaid(books, pays, as_of):
        exp = L.parse_date(p["expected"], "pledge")
        d = exp if exp > as_of else as_of + ONE_DAY
        receipts.append((d, "reserve" if p["purpose"] == "reserve" else "operating", "pledge", p["iso3"], p["pledge_id"], p["rest_c"]))
        pyear = int(p["year"]) if p.get("year") else exp.year
        if p["purpose"] == "isu":
            pledged_for.setdefault(p["iso3"], []).append((pyear, p["rest_c"]))
    for iso3 in sorted(accounts):
        history, open_ = invoices_of(accounts[iso3], year, as_of)
        for (invoice, y, due, _), rest in zip(open_, unpledged(open_, pledged_for.get(iso3, []))):
            if rest == 0:
                continue
            receipts.append((expected_date(history, due, as_of), "operating", "assessment", iso3, invoice, rest))

    # The months.
    policy_path = os.path.join(books, "policy.yaml")
    for b in L.read_csv(os.path.join(books, "budgets.csv"), False):
        if b["year"] == str(year) and b.get("policy"):
            policy_path = os.path.join(books, b["policy"])
    with open(policy_path, encoding="utf-8") as f:
        reserve = (yaml.load(f, Loader=yaml.BaseLoader) or {}).get("reserve") or {}
    target = cents(reserve.get("target", "400000.00"), "target")
    minimum = cents(reserve.get("minimum_cash", "0.00"), "minimum_cash")
    repay = reserve.get("repay", "surplus")
    opening = [r for r in L.read_csv(os.path.join(books, "opening-balances.csv"), True) if r["year"] == str(year)][0]
    rec = [0] * 12
    res_in = [0] * 12
    for d, fund, _, _, _, amount in receipts:
        if d is None or d > last:
            continue
        m = 0 if d < first else d.month - 1
        (res_in if fund == "reserve" else rec)[m] += amount
    spend = [0] * 12
    for r in L.read_csv(os.path.join(books, "expenditure-plan.csv"), True):
        if r["month"].startswith(f"{year}-"):
            spend[int(r["month"][5:7]) - 1] += cents(r["amount"], "plan")
    # Spending: a month that ended on or before the as-of date takes the actual spending of
    # expenditure.csv when the file has rows for it; otherwise (and every later month) the plan.
    actual_path = os.path.join(books, "expenditure.csv")
    if os.path.exists(actual_path):
        actual = {}
        for r in L.read_csv(actual_path, True):
            if r["month"].startswith(f"{year}-"):
                mo = int(r["month"][5:7])
                actual[mo] = actual.get(mo, 0) + cents(r["amount"], "actual")
        for mo, amount in actual.items():
            last_day = (datetime.date(year + (mo == 12), mo % 12 + 1, 1) - ONE_DAY)
            if last_day <= as_of:
                spend[mo - 1] = amount
    cash = cents(opening["operating_cash"], "opening")
    res = cents(opening["reserve"], "opening")
    adv = 0
    months = []
    for m in range(12):
        before = cash + rec[m] - spend[m]
        avail = res + res_in[m]
        drawn = repaid = 0
        if before < minimum:
            drawn = min(minimum - before, avail)
        elif repay == "surplus" and adv > 0:
            repaid = min(before - minimum, adv)
        closing = before + drawn - repaid
        res = avail - drawn + repaid
        adv += drawn - repaid
        months.append({"month": f"{year}-{m + 1:02d}", "opening": L.fmt(cash), "receipts": L.fmt(rec[m]),
                       "spending": L.fmt(spend[m]), "closing_before_reserve": L.fmt(before),
                       "reserve_contributions": L.fmt(res_in[m]), "reserve_drawn": L.fmt(drawn),
                       "reserve_repaid": L.fmt(repaid), "reserve_closing": L.fmt(res),
                       "closing": L.fmt(closing), "uncovered_gap": L.fmt(max(0, minimum - closing))})
        cash = closing
    draws = [(m["month"], m["reserve_drawn"]) for m in months if m["reserve_drawn"] != "0.00"]
    largest = None
    for mo, amount in draws:
        if largest is None or cents(amount, "x") > cents(largest[1], "x"):
            largest = (mo, amount)
    flags = {
        "first_draw": {"month": draws[0][0], "amount": draws[0][1]} if draws else None,
        "largest_draw": {"month": largest[0], "amount": largest[1]} if largest else None,
        "uncovered": [{"month": m["month"], "gap": m["uncovered_gap"]} for m in months if m["uncovered_gap"] != "0.00"],
        "contributions_to_restore": L.fmt(max(0, target - res)),
    }
    out_receipts = sorted(
        ({"date": d.isoformat() if d else None, "fund": fund, "source": src, "iso3": iso3, "ref": ref, "amount": L.fmt(a)}
         for d, fund, src, iso3, ref, a in receipts),
        key=lambda r: (r["date"] or "9999", r["iso3"], r["ref"]))
    return {"year": year, "as_of": as_of.isoformat(), "months": months, "flags": flags, "receipts": out_receipts}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("books")
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--as-of", required=True)
    a = ap.parse_args(argv)
    try:
        out = project(a.books, a.year, L.parse_date(a.as_of, "--as-of"))
    except L.OracleError as e:
        print(f"cashflow oracle: {e}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
