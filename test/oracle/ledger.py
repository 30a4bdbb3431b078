#!/usr/bin/env python3
"""Independent oracle for finproc's ledger (arrears, credit, allocations, pledges).

Written from docs/ledger.md only (never from src/), so that it can check the
TypeScript engine's numbers.  Standard library only.  All CHF arithmetic is
done in integer centimes; pledge conversions use fractions.Fraction.

Usage:
    python3 test/oracle/ledger.py BOOKS_DIR --as-of YYYY-MM-DD [--buckets 30,90,180,365]

BOOKS_DIR holds assessments.csv (required), payments.csv, adjustments.csv,
pledges.csv and exchange-rates.csv (all optional).  The result is one JSON
document on stdout.  Anything the spec forbids prints one line on stderr and
exits with status 1.

Readings of points that docs/ledger.md leaves open are marked "READING:".
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction


class OracleError(Exception):
    """Any input error or forbidden event: one line on stderr, exit 1."""


ACCOUNT_PURPOSES = ("isu", "meeting")
FLAG_ORDER = ("arrears", "art19", "credit", "never-paid", "pledge-overdue")

# Rank of an event kind among the events of one date (docs: "on one date: assessment
# lines, then reassessments, credit notes, write-offs, payments, refunds").
RANK = {"line": 0, "reassessment": 1, "credit-note": 2, "write-off": 3, "payment": 4, "refund": 5}


# ---------------------------------------------------------------- parsing

def read_csv(path, required):
    if not os.path.exists(path):
        if required:
            raise OracleError(f"{os.path.basename(path)} is missing")
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    delim = ";" if (";" in first and "," not in first) else ","
    rows = list(csv.DictReader(text.splitlines(), delimiter=delim))
    out = []
    for r in rows:
        out.append({(k or "").strip(): (v or "").strip() for k, v in r.items()})
    return out


def parse_date(s, what):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        raise OracleError(f"bad date {s!r} in {what}")


def centimes(s, what):
    """CHF amount string -> integer centimes (at most two decimals)."""
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise OracleError(f"bad amount {s!r} in {what}")
    c = d * 100
    if c != c.to_integral_value():
        raise OracleError(f"amount {s!r} in {what} has more than two decimals")
    return int(c)


def fmt(c):
    """Integer centimes -> 'x.yy'."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def round_centime_half_even(x):
    """Fraction in units -> Fraction rounded to the centime, half-even."""
    return Fraction(round(x * 100), 100)


# ---------------------------------------------------------------- model

class Line:
    def __init__(self, row):
        self.invoice = row["invoice"]
        self.iso3 = row["iso3"]
        self.year = int(row["year"])
        self.purpose = row.get("purpose") or "isu"
        self.category = row["category"]
        what = f"assessment {self.invoice}/{self.category}"
        cur = row.get("currency") or "CHF"
        if cur != "CHF":
            raise OracleError(f"{what}: currency must be CHF")
        self.amount = centimes(row["amount"], what)
        if self.amount < 0:
            raise OracleError(f"{what}: negative amount")
        self.issued = parse_date(row["issued"], what)
        self.due_date = parse_date(row["due"], what)
        self.due = self.amount          # running due amount
        self.settled = 0                # running settled amount

    @property
    def key(self):
        return (self.invoice, self.category)

    @property
    def outstanding(self):
        return self.due - self.settled

    def oldest_key(self):
        # READING: "oldest first" is year, due date, issued date, invoice, category.
        return (self.year, self.due_date, self.issued, self.invoice, self.category)


class Piece:
    def __init__(self, seq, payment, amount, earmark, date):
        self.seq = seq
        self.payment = payment
        self.amount = amount
        self.earmark = earmark          # None, ("invoice", inv) or ("year", y, cat-or-None)
        self.date = date


class Allocation:
    def __init__(self, seq, payment, line, date, amount):
        self.seq = seq
        self.payment = payment
        self.line = line
        self.date = date
        self.amount = amount            # as allocated
        self.net = amount               # after releases


class Account:
    """The assessed account of one State, run event by event."""

    def __init__(self, iso3):
        self.iso3 = iso3
        self.lines = []                 # issued lines (in the account)
        self.pieces = []                # pieces of credit, in creation order
        self.allocs = []
        self.seq = 0

    def next_seq(self):
        self.seq += 1
        return self.seq

    def named(self, earmark):
        if earmark[0] == "invoice":
            return [l for l in self.lines if l.invoice == earmark[1]]
        _, year, cat = earmark
        return [l for l in self.lines if l.year == year and (cat is None or l.category == cat)]

    def allocate(self, piece, lines, date):
        for line in sorted(lines, key=Line.oldest_key):
            if piece.amount == 0:
                return
            take = min(piece.amount, line.outstanding)
            if take <= 0:
                continue
            piece.amount -= take
            line.settled += take
            self.allocs.append(Allocation(self.next_seq(), piece.payment, line, date, take))

    def apply(self, date):
        """After every event: the pieces, in creation order."""
        for piece in self.pieces:
            if piece.amount == 0:
                continue
            if piece.earmark is not None:
                named = self.named(piece.earmark)
                self.allocate(piece, named, date)
                if piece.amount == 0:
                    continue
                if not named:
                    continue            # waits, earmarked, as credit
                # READING: the loss of the earmark is permanent.
                piece.earmark = None
            self.allocate(piece, self.lines, date)
        self.pieces = [p for p in self.pieces if p.amount > 0]

    def credit(self):
        return sum(p.amount for p in self.pieces)

    # events

    def issue(self, line):
        self.lines.append(line)

    def payment(self, pid, chf, earmark, date):
        self.pieces.append(Piece(self.next_seq(), pid, chf, earmark, date))

    def reduce(self, line, amount, date, adj_id):
        if amount > line.due:
            raise OracleError(f"adjustment {adj_id} reduces {line.invoice}/{line.category} below zero")
        line.due -= amount
        excess = line.settled - line.due
        if excess <= 0:
            return
        # "the allocations to the line are undone latest first, each becoming a piece of
        # credit with its payment id and no earmark, dated the adjustment's date"
        # READING: "latest" = most recently made allocation; the released pieces are
        # created in the order of undoing (so the latest allocation's piece is applied first);
        # an allocation is undone only in part when that covers the excess.
        for a in sorted((a for a in self.allocs if a.line is line and a.net > 0),
                        key=lambda a: a.seq, reverse=True):
            if excess == 0:
                break
            take = min(a.net, excess)
            a.net -= take
            line.settled -= take
            excess -= take
            self.pieces.append(Piece(self.next_seq(), a.payment, take, None, date))
        assert excess == 0

    def raise_(self, line, amount):
        line.due += amount

    def refund(self, amount, date, adj_id):
        if amount > self.credit():
            raise OracleError(f"refund {adj_id} exceeds the credit at {date}")
        for piece in sorted(self.pieces, key=lambda p: p.seq, reverse=True):
            if amount == 0:
                break
            take = min(piece.amount, amount)
            piece.amount -= take
            amount -= take
        self.pieces = [p for p in self.pieces if p.amount > 0]


# ---------------------------------------------------------------- exchange rates

class Rates:
    def __init__(self, rows):
        self.by_cur = {}
        for r in rows:
            cur = r["currency"]
            self.by_cur.setdefault(cur, []).append(
                (parse_date(r["date"], "exchange-rates.csv"), Fraction(Decimal(r["chf"]))))
        for v in self.by_cur.values():
            v.sort()

    def rate(self, cur, date):
        """CHF for one unit of cur on date (latest rate dated on or before it)."""
        if cur == "CHF":
            return Fraction(1)
        best = None
        for d, r in self.by_cur.get(cur, []):
            if d <= date:
                best = r
        if best is None:
            raise OracleError(f"no exchange rate for {cur} on or before {date}")
        return best


# ---------------------------------------------------------------- pledges

def pledge_overdue_states(pledges, payments, rates, as_of):
    """Set of States with a pledge expected before as_of not fully paid by payments
    received on or before as_of."""
    counted = {p["pledge_id"]: Fraction(0) for p in pledges}
    by_id = {p["pledge_id"]: p for p in pledges}
    pays = sorted((p for p in payments if p["received"] <= as_of),
                  key=lambda p: (p["received"], p["payment_id"]))

    def value_in(pay, pledge, frac):
        """What fraction `frac` of payment `pay` counts in the pledge's currency."""
        if pay["currency"] == pledge["currency"]:
            return round_centime_half_even(frac * pay["amount_f"])
        return round_centime_half_even(frac * pay["chf_f"] / rates.rate(pledge["currency"], pay["received"]))

    for pay in pays:
        if pay["pledge"]:
            pl = by_id.get(pay["pledge"])
            if pl is None or pl["iso3"] != pay["iso3"] or pl["purpose"] != pay["purpose"]:
                raise OracleError(f"payment {pay['payment_id']} names pledge {pay['pledge']} "
                                  "not of the same State and purpose")
            # READING: a named pledge takes the whole payment (no spill-over).
            counted[pl["pledge_id"]] += value_in(pay, pl, Fraction(1))
            continue
        # READING: "open" = pledged on or before the payment's date and not yet fully
        # paid; a payment spills over to the next open pledge, oldest first.
        frac = Fraction(1)
        candidates = sorted((pl for pl in pledges
                             if pl["iso3"] == pay["iso3"] and pl["purpose"] == pay["purpose"]
                             and pl["pledged"] <= pay["received"]),
                            key=lambda pl: (pl["expected"], pl["pledged"], pl["pledge_id"]))
        for pl in candidates:
            if frac == 0:
                break
            rest = pl["amount_f"] - counted[pl["pledge_id"]]
            if rest <= 0:
                continue
            v = value_in(pay, pl, frac)
            if v == 0:
                break
            use = min(v, rest)
            counted[pl["pledge_id"]] += use
            frac -= frac * use / v
    out = set()
    for pl in pledges:
        if pl["expected"] < as_of and counted[pl["pledge_id"]] < pl["amount_f"]:
            out.add(pl["iso3"])
    return out


# ---------------------------------------------------------------- main computation

def bucket_labels(bounds):
    labels = ["not yet due"]
    prev = 0
    for b in bounds:
        labels.append(f"{prev + 1}-{b}")
        prev = b
    labels.append(f"over {prev}")
    return labels


def bucket_of(days, bounds, labels):
    if days <= 0:
        return labels[0]
    for i, b in enumerate(bounds):
        if days <= b:
            return labels[i + 1]
    return labels[-1]


def compute(books, as_of, bounds):
    lines_all = [Line(r) for r in read_csv(os.path.join(books, "assessments.csv"), True)]
    pay_rows = read_csv(os.path.join(books, "payments.csv"), False)
    adj_rows = read_csv(os.path.join(books, "adjustments.csv"), False)
    pledge_rows = read_csv(os.path.join(books, "pledges.csv"), False)
    rates = Rates(read_csv(os.path.join(books, "exchange-rates.csv"), False))

    # payments
    payments = []
    for r in pay_rows:
        pid = r["payment_id"]
        what = f"payment {pid}"
        amount_c = Fraction(Decimal(r["amount"]))
        cur = r["currency"]
        chf_s = r.get("chf", "")
        if chf_s:
            chf = centimes(chf_s, what)
        elif cur == "CHF":
            chf = centimes(r["amount"], what)
        else:
            raise OracleError(f"{what}: chf is required for a {cur} payment")
        if chf <= 0:
            raise OracleError(f"{what}: amount must be more than zero")
        purpose = r.get("purpose") or "isu"
        ey, ec, ei = r.get("earmark_year", ""), r.get("earmark_category", ""), r.get("earmark_invoice", "")
        earmark = None
        if ei:
            earmark = ("invoice", ei)
        elif ey:
            earmark = ("year", int(ey), ec or None)
        if earmark is not None and purpose not in ACCOUNT_PURPOSES:
            raise OracleError(f"{what}: an earmark on a voluntary payment")
        payments.append({
            "payment_id": pid, "iso3": r["iso3"], "received": parse_date(r["received"], what),
            "amount_f": amount_c, "currency": cur, "chf": chf, "chf_f": Fraction(chf, 100),
            "purpose": purpose, "earmark": earmark, "pledge": r.get("pledge", ""),
        })

    pledges = []
    for r in pledge_rows:
        what = f"pledge {r['pledge_id']}"
        pledges.append({
            "pledge_id": r["pledge_id"], "iso3": r["iso3"], "purpose": r["purpose"],
            "amount_f": Fraction(Decimal(r["amount"])), "currency": r["currency"],
            "pledged": parse_date(r["pledged"], what), "expected": parse_date(r["expected"], what),
        })

    # events per State, as of D
    events = {}     # iso3 -> list of (sort key, kind, payload)

    def add(iso3, key, kind, payload):
        events.setdefault(iso3, []).append((key, kind, payload))

    for l in lines_all:
        if l.issued <= as_of:
            add(l.iso3, (l.issued, RANK["line"], l.invoice, l.category), "line", l)
    for p in payments:
        if p["purpose"] in ACCOUNT_PURPOSES and p["received"] <= as_of:
            add(p["iso3"], (p["received"], RANK["payment"], p["payment_id"], ""), "payment", p)
    adjusted = {}
    refunded = {}
    for r in adj_rows:
        aid = r["adjustment_id"]
        kind = r["kind"]
        if kind not in ("credit-note", "write-off", "reassessment", "refund"):
            raise OracleError(f"adjustment {aid}: unknown kind {kind!r}")
        date = parse_date(r["date"], f"adjustment {aid}")
        amount = centimes(r["amount"], f"adjustment {aid}")
        if amount <= 0:
            raise OracleError(f"adjustment {aid}: amount must be more than zero")
        if date > as_of:
            continue
        iso3 = r["iso3"]
        if kind == "refund":
            refunded[iso3] = refunded.get(iso3, 0) + amount
        else:
            sign = 1 if kind == "reassessment" else -1
            adjusted[iso3] = adjusted.get(iso3, 0) + sign * amount
        add(iso3, (date, RANK[kind], aid, ""), kind,
            {"id": aid, "invoice": r.get("invoice", ""), "category": r.get("category", ""),
             "amount": amount, "date": date})

    accounts = {}
    for iso3, evs in events.items():
        acc = Account(iso3)
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
                cands = [l for l in acc.lines if l.invoice == x["invoice"]]
                if x["category"]:
                    cands = [l for l in cands if l.category == x["category"]]
                if len(cands) != 1:
                    raise OracleError(f"adjustment {x['id']}: no single issued line "
                                      f"{x['invoice']}/{x['category']} of {iso3} at {date}")
                if kind == "reassessment":
                    acc.raise_(cands[0], x["amount"])
                else:
                    acc.reduce(cands[0], x["amount"], date, x["id"])
            acc.apply(date)

    overdue = pledge_overdue_states(pledges, payments, rates, as_of)
    labels = bucket_labels(bounds)
    Y = as_of.year

    states = {}
    years = {}
    for iso3 in sorted(accounts):
        acc = accounts[iso3]
        paid_list = [p for p in payments if p["iso3"] == iso3 and p["purpose"] in ACCOUNT_PURPOSES
                     and p["received"] <= as_of]
        if not acc.lines and not paid_list:
            continue
        assessed = sum(l.amount for l in acc.lines)
        paid = sum(p["chf"] for p in paid_list)
        outstanding = sum(l.outstanding for l in acc.lines)
        credit = acc.credit()
        adj = adjusted.get(iso3, 0)
        ref = refunded.get(iso3, 0)
        for l in acc.lines:
            if not (0 <= l.settled <= l.due):
                raise OracleError(f"internal: line {l.invoice}/{l.category} settled beyond due")
        if assessed + adj - paid + ref != outstanding - credit:
            raise OracleError(f"internal: the identity fails for {iso3}")
        by_year = {}
        by_age = {lab: 0 for lab in labels}
        for l in acc.lines:
            y = by_year.setdefault(l.year, {"due": 0, "settled": 0, "outstanding": 0})
            y["due"] += l.due
            y["settled"] += l.settled
            y["outstanding"] += l.outstanding
            g = years.setdefault(l.year, {"due": 0, "settled": 0})
            g["due"] += l.due
            g["settled"] += l.settled
            by_age[bucket_of((as_of - l.due_date).days, bounds, labels)] += l.outstanding
        arrears = sum(l.outstanding for l in acc.lines if l.year < Y)
        prior_due = sum(l.due for l in acc.lines if l.year in (Y - 1, Y - 2))
        flags = set()
        if arrears > 0:
            flags.add("arrears")
            if arrears >= prior_due:
                flags.add("art19")
        if credit > 0:
            flags.add("credit")
        # READING: "some line" = any issued line, whatever its amount or outstanding.
        if any(l.due_date < as_of for l in acc.lines) and not paid_list:
            flags.add("never-paid")
        if iso3 in overdue:
            flags.add("pledge-overdue")

        nets = {}
        for a in acc.allocs:
            k = (a.line.invoice, a.line.category, a.payment)
            n = nets.setdefault(k, {"amount": 0, "date": a.date})
            n["amount"] += a.net
            # READING: the date of a net allocation is that of its first allocation.
            n["date"] = min(n["date"], a.date)
        allocations = [
            {"payment": k[2], "invoice": k[0], "category": k[1],
             "date": v["date"].isoformat(), "amount": fmt(v["amount"])}
            for k, v in sorted(nets.items()) if v["amount"] != 0
        ]
        states[iso3] = {
            "assessed": fmt(assessed), "adjusted": fmt(adj), "paid": fmt(paid),
            "refunded": fmt(ref), "outstanding": fmt(outstanding), "credit": fmt(credit),
            "balance": fmt(outstanding - credit), "arrears": fmt(arrears),
            "by_year": {str(y): {k: fmt(v) for k, v in d.items()} for y, d in sorted(by_year.items())},
            "by_age": {lab: fmt(by_age[lab]) for lab in labels},
            "flags": [f for f in FLAG_ORDER if f in flags],
            "allocations": allocations,
        }

    def rate_pct(settled, due):
        if due == 0:
            return None
        tenths = round(Fraction(settled * 1000, due))      # half-even
        # docs/ledger.md: never 100.0 while anything is outstanding, never 0.0 once anything is settled.
        if settled < due:
            tenths = min(tenths, 999)
        if settled > 0:
            tenths = max(tenths, 1)
        return f"{tenths // 10}.{tenths % 10}"

    return {
        "as_of": as_of.isoformat(),
        "buckets": labels,
        "states": states,
        "years": {str(y): {"due": fmt(g["due"]), "settled": fmt(g["settled"]),
                           "rate_pct": rate_pct(g["settled"], g["due"])}
                  for y, g in sorted(years.items())},
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("books")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--buckets", default="30,90,180,365")
    args = ap.parse_args(argv)
    try:
        as_of = parse_date(args.as_of, "--as-of")
        if not re.fullmatch(r"[0-9]+(,[0-9]+)*", args.buckets):
            raise OracleError(f"bad --buckets {args.buckets!r}")
        bounds = [int(b) for b in args.buckets.split(",")]
        if any(b <= 0 for b in bounds) or bounds != sorted(set(bounds)):
            raise OracleError("--buckets must be increasing positive day counts")
        result = compute(args.books, as_of, bounds)
    except OracleError as e:
        print(f"ledger oracle: {e}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
