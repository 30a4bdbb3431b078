#!/usr/bin/env python3
"""Self-test of the ledger oracle on tiny books worked out by hand.

Run:  python3 test/oracle/ledger_selftest.py      (exit status 0 = all cases pass)

Each case writes a books directory into a temporary folder, runs ledger.py as a
command, and compares its JSON output (or its error exit) with numbers computed
by hand in the comments.  Day counts used for ageing are written next to them.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "ledger.py")

A_HEAD = "invoice,iso3,year,purpose,category,amount,currency,issued,due,note"
P_HEAD = ("payment_id,iso3,received,amount,currency,chf,purpose,earmark_year,"
          "earmark_category,earmark_invoice,pledge,reference")
ADJ_HEAD = "adjustment_id,iso3,date,kind,invoice,category,amount,reason"
PL_HEAD = "pledge_id,iso3,purpose,amount,currency,pledged,expected,year,note"
DEFAULT_BUCKETS = ["not yet due", "1-30", "31-90", "91-180", "181-365", "over 365"]


def line(inv, iso3, year, cat, amount, issued, due, purpose="isu"):
    return f"{inv},{iso3},{year},{purpose},{cat},{amount},CHF,{issued},{due},"


def pay(pid, iso3, received, amount, currency="CHF", chf="", purpose="isu",
        ey="", ec="", ei="", pledge=""):
    return f"{pid},{iso3},{received},{amount},{currency},{chf},{purpose},{ey},{ec},{ei},{pledge},"


def adj(aid, iso3, date, kind, inv, cat, amount):
    return f"{aid},{iso3},{date},{kind},{inv},{cat},{amount},because"


def run(files, as_of, buckets=None):
    with tempfile.TemporaryDirectory() as folder:
        for name, (head, rows) in files.items():
            # a BOM on the first file, to check it is accepted
            enc = "utf-8-sig" if name == "assessments.csv" else "utf-8"
            with open(os.path.join(folder, name), "w", encoding=enc, newline="") as f:
                f.write("\n".join([head] + rows) + "\n")
        cmd = [sys.executable, ORACLE, folder, "--as-of", as_of]
        if buckets:
            cmd += ["--buckets", buckets]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return json.loads(proc.stdout), None


def state(assessed, adjusted, paid, refunded, outstanding, credit, balance, arrears,
          by_year, by_age, flags, allocations, labels=DEFAULT_BUCKETS):
    """Full expected state; by_age lists only the non-empty buckets; allocations are
    (payment, invoice, category, date, amount) tuples."""
    return {
        "assessed": assessed, "adjusted": adjusted, "paid": paid, "refunded": refunded,
        "outstanding": outstanding, "credit": credit, "balance": balance, "arrears": arrears,
        "by_year": {y: {"due": d, "settled": s, "outstanding": o} for y, (d, s, o) in by_year.items()},
        "by_age": {lab: by_age.get(lab, "0.00") for lab in labels},
        "flags": flags,
        "allocations": [{"payment": p, "invoice": i, "category": c, "date": dt, "amount": a}
                        for p, i, c, dt, a in allocations],
    }


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def check(out, err, want_states, want_years=None, labels=DEFAULT_BUCKETS, as_of=None):
    if out is None:
        return f"oracle failed: {err}"
    problems = []
    if out["buckets"] != labels:
        problems.append(f"buckets {out['buckets']}")
    if as_of and out["as_of"] != as_of:
        problems.append(f"as_of {out['as_of']}")
    if set(out["states"]) != set(want_states):
        problems.append(f"states {sorted(out['states'])} != {sorted(want_states)}")
    for iso3, want in want_states.items():
        got = out["states"].get(iso3)
        if got != want:
            problems.append(f"{iso3}: got {json.dumps(got, sort_keys=True)}\n   want {json.dumps(want, sort_keys=True)}")
    if want_years is not None and out["years"] != want_years:
        problems.append(f"years: got {out['years']} want {want_years}")
    return "; ".join(problems) or None


# ------------------------------------------------------------------ cases

@case
def oldest_first_across_years_partial_payment():
    # AUT: 2023 line 100 (due 2023-03-31), 2024 line 200 (due 2024-03-31).
    # P1 150 on 2024-05-01: oldest first -> 100 to 2023, 50 to 2024 (partial).
    # As of 2024-06-30 (Y = 2024): outstanding 150, arrears (years < 2024) 0.
    # Ageing: 2024 line 2024-06-30 - 2024-03-31 = 91 days -> "91-180": 150.
    # Rates: 2023 100/100 = 100.0; 2024 50/200 = 25.0.
    books = {
        "assessments.csv": (A_HEAD, [line("A23", "AUT", 2023, "base", "100.00", "2023-01-15", "2023-03-31"),
                                     line("A24", "AUT", 2024, "base", "200", "2024-01-15", "2024-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "AUT", "2024-05-01", "150")]),
    }
    out, err = run(books, "2024-06-30")
    want = {"AUT": state("300.00", "0.00", "150.00", "0.00", "150.00", "0.00", "150.00", "0.00",
                         {"2023": ("100.00", "100.00", "0.00"), "2024": ("200.00", "50.00", "150.00")},
                         {"91-180": "150.00"}, [],
                         [("P1", "A23", "base", "2024-05-01", "100.00"),
                          ("P1", "A24", "base", "2024-05-01", "50.00")])}
    years = {"2023": {"due": "100.00", "settled": "100.00", "rate_pct": "100.0"},
             "2024": {"due": "200.00", "settled": "50.00", "rate_pct": "25.0"}}
    r = check(out, err, want, years, as_of="2024-06-30")
    if r:
        return r
    # Same books, --buckets 10,20: 91 days -> "over 20".
    labels = ["not yet due", "1-10", "11-20", "over 20"]
    out, err = run(books, "2024-06-30", "10,20")
    want["AUT"]["by_age"] = {"not yet due": "0.00", "1-10": "0.00", "11-20": "0.00", "over 20": "150.00"}
    return check(out, err, want, years, labels=labels)


@case
def overpayment_credit_then_later_invoice():
    # BEL: 2023 line 100, P1 130 on 2023-02-01 -> 100 settles it, 30 credit.
    # As of 2023-06-30: outstanding 0, credit 30, balance -30, flag credit.
    # 2024 line 50 issued 2024-01-10 -> the 30 credit goes to it on 2024-01-10.
    # As of 2024-03-31: outstanding 20, credit 0; arrears 0 (2024 current);
    # ageing 2024-03-31 - 2024-02-28 = 32 days -> "31-90": 20.
    books = {
        "assessments.csv": (A_HEAD, [line("B23", "BEL", 2023, "base", "100", "2023-01-10", "2023-02-28"),
                                     line("B24", "BEL", 2024, "base", "50", "2024-01-10", "2024-02-28")]),
        "payments.csv": (P_HEAD, [pay("P1", "BEL", "2023-02-01", "130.00", chf="130.00")]),
    }
    out, err = run(books, "2023-06-30")
    want = {"BEL": state("100.00", "0.00", "130.00", "0.00", "0.00", "30.00", "-30.00", "0.00",
                         {"2023": ("100.00", "100.00", "0.00")}, {}, ["credit"],
                         [("P1", "B23", "base", "2023-02-01", "100.00")])}
    r = check(out, err, want)
    if r:
        return "as of 2023-06-30: " + r
    out, err = run(books, "2024-03-31")
    want = {"BEL": state("150.00", "0.00", "130.00", "0.00", "20.00", "0.00", "20.00", "0.00",
                         {"2023": ("100.00", "100.00", "0.00"), "2024": ("50.00", "30.00", "20.00")},
                         {"31-90": "20.00"}, [],
                         [("P1", "B23", "base", "2023-02-01", "100.00"),
                          ("P1", "B24", "base", "2024-01-10", "30.00")])}
    return check(out, err, want)


@case
def earmark_year_settles_newer_before_older_arrears():
    # CAN: 2023 line 100 (due 2023-03-31), 2024 line 100 (due 2024-03-31).
    # P1 120 on 2024-02-01 earmarked 2024: 100 to 2024; 20 left, a 2024 line is issued,
    # so it loses its earmark -> oldest first -> 20 to 2023.
    # As of 2024-04-30: 2023 outstanding 80 = arrears; Y-1 + Y-2 due = 100 + 0 = 100;
    # 80 < 100 -> no art19.  Ageing 2024-04-30 - 2023-03-31 = 396 days -> "over 365": 80.
    books = {
        "assessments.csv": (A_HEAD, [line("C23", "CAN", 2023, "base", "100", "2023-01-10", "2023-03-31"),
                                     line("C24", "CAN", 2024, "base", "100", "2024-01-10", "2024-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "CAN", "2024-02-01", "120", ey="2024")]),
    }
    out, err = run(books, "2024-04-30")
    want = {"CAN": state("200.00", "0.00", "120.00", "0.00", "80.00", "0.00", "80.00", "80.00",
                         {"2023": ("100.00", "20.00", "80.00"), "2024": ("100.00", "100.00", "0.00")},
                         {"over 365": "80.00"}, ["arrears"],
                         [("P1", "C23", "base", "2024-02-01", "20.00"),
                          ("P1", "C24", "base", "2024-02-01", "100.00")])}
    return check(out, err, want)


@case
def earmark_waits_for_invoice_then_loses_earmark():
    # DEU: 2023 line 50 (issued 2023-01-10, due 2023-03-31).  P1 120 on 2023-12-01
    # earmarked invoice D24, which is issued only on 2024-01-15 (amount 100).
    # As of 2023-12-31: P1 waits as credit (it does NOT go to D23): outstanding 50,
    # credit 120, balance -70, arrears 0 (2023 is Y); flags credit.
    # Ageing: 2023-12-31 - 2023-03-31 = 275 days -> "181-365": 50.
    # As of 2024-02-01: on 2024-01-15 D24 gets 100, 20 left loses earmark -> D23 20.
    # Outstanding 30 (D23) = arrears; Y-1 + Y-2 due = 50; 30 < 50 -> no art19.
    # Ageing: 2024-02-01 - 2023-03-31 = 307 days -> "181-365": 30; D24 not yet due.
    books = {
        "assessments.csv": (A_HEAD, [line("D23", "DEU", 2023, "base", "50", "2023-01-10", "2023-03-31"),
                                     line("D24", "DEU", 2024, "base", "100", "2024-01-15", "2024-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "DEU", "2023-12-01", "120", ei="D24")]),
    }
    out, err = run(books, "2023-12-31")
    want = {"DEU": state("50.00", "0.00", "120.00", "0.00", "50.00", "120.00", "-70.00", "0.00",
                         {"2023": ("50.00", "0.00", "50.00")}, {"181-365": "50.00"}, ["credit"], [])}
    r = check(out, err, want)
    if r:
        return "as of 2023-12-31: " + r
    out, err = run(books, "2024-02-01")
    want = {"DEU": state("150.00", "0.00", "120.00", "0.00", "30.00", "0.00", "30.00", "30.00",
                         {"2023": ("50.00", "20.00", "30.00"), "2024": ("100.00", "100.00", "0.00")},
                         {"181-365": "30.00"}, ["arrears"],
                         [("P1", "D23", "base", "2024-01-15", "20.00"),
                          ("P1", "D24", "base", "2024-01-15", "100.00")])}
    return check(out, err, want)


@case
def credit_note_releases_credit_to_other_line():
    # ESP: invoice E24 (2024, issued 2024-01-10, due 2024-03-31): base 100, scale 200.
    # Meeting invoice E24M (2024, issued 2024-02-15, due 2024-04-30): m1 80.
    # P1 300 on 2024-02-01 -> base 100, scale 200 (E24 fully paid).
    # E24M issued 2024-02-15: no credit, outstanding 80.
    # CN1 2024-03-01 credit note of 50 on E24/scale: due 150, settled 200 -> 50 of P1's
    # allocation undone -> piece P1 50 -> oldest first: E24M gets 50 on 2024-03-01.
    # As of 2024-06-30: assessed 380, adjusted -50, paid 300, outstanding 30, credit 0.
    # Identity 380 - 50 - 300 = 30.  2024: due 330, settled 300 -> 90.909.. -> 90.9.
    # Ageing E24M: 2024-06-30 - 2024-04-30 = 61 days -> "31-90": 30.
    books = {
        "assessments.csv": (A_HEAD, [line("E24", "ESP", 2024, "base", "100", "2024-01-10", "2024-03-31"),
                                     line("E24", "ESP", 2024, "scale", "200", "2024-01-10", "2024-03-31"),
                                     line("E24M", "ESP", 2024, "m1", "80", "2024-02-15", "2024-04-30",
                                          purpose="meeting")]),
        "payments.csv": (P_HEAD, [pay("P1", "ESP", "2024-02-01", "300")]),
        "adjustments.csv": (ADJ_HEAD, [adj("CN1", "ESP", "2024-03-01", "credit-note", "E24", "scale", "50")]),
    }
    out, err = run(books, "2024-06-30")
    want = {"ESP": state("380.00", "-50.00", "300.00", "0.00", "30.00", "0.00", "30.00", "0.00",
                         {"2024": ("330.00", "300.00", "30.00")}, {"31-90": "30.00"}, [],
                         [("P1", "E24", "base", "2024-02-01", "100.00"),
                          ("P1", "E24", "scale", "2024-02-01", "150.00"),
                          ("P1", "E24M", "m1", "2024-03-01", "50.00")])}
    years = {"2024": {"due": "330.00", "settled": "300.00", "rate_pct": "90.9"}}
    return check(out, err, want, years)


@case
def reassessment_reopens_then_write_off():
    # FRA: F23 100 (2023, due 2023-03-31), P1 100 on 2023-03-01 settles it.
    # R1 reassessment +40 on 2023-06-01 -> due 140, outstanding 40 (reopened).
    # W1 write-off 15 on 2023-09-01 -> due 125, settled 100, outstanding 25.
    # As of 2024-01-31: adjusted +40 - 15 = 25; arrears 25; Y-1 + Y-2 due = 125 -> no art19.
    # Identity: 100 + 25 - 100 = 25.  Ageing 306 days -> "181-365": 25.
    # Also as of 2023-07-01 (before W1): outstanding 40, adjusted 40, arrears 0 (Y=2023).
    books = {
        "assessments.csv": (A_HEAD, [line("F23", "FRA", 2023, "base", "100", "2023-01-10", "2023-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "FRA", "2023-03-01", "100")]),
        "adjustments.csv": (ADJ_HEAD, [adj("R1", "FRA", "2023-06-01", "reassessment", "F23", "", "40"),
                                       adj("W1", "FRA", "2023-09-01", "write-off", "F23", "base", "15")]),
    }
    out, err = run(books, "2024-01-31")
    want = {"FRA": state("100.00", "25.00", "100.00", "0.00", "25.00", "0.00", "25.00", "25.00",
                         {"2023": ("125.00", "100.00", "25.00")}, {"181-365": "25.00"}, ["arrears"],
                         [("P1", "F23", "base", "2023-03-01", "100.00")])}
    r = check(out, err, want)
    if r:
        return r
    # 2023-07-01 - 2023-03-31 = 92 days -> "91-180": 40.
    out, err = run(books, "2023-07-01")
    want = {"FRA": state("100.00", "40.00", "100.00", "0.00", "40.00", "0.00", "40.00", "0.00",
                         {"2023": ("140.00", "100.00", "40.00")}, {"91-180": "40.00"}, [],
                         [("P1", "F23", "base", "2023-03-01", "100.00")])}
    return check(out, err, want)


@case
def refund_from_latest_piece_back():
    # GBR: G24 100 (2024).  P1 150 on 2024-02-01 -> 100 to G24, piece P1 50.
    # P2 30 on 2024-02-10 -> piece P2 30.  Credit 80.
    # RF1 refund 40 on 2024-03-01: latest piece first: P2 30 -> 0, then P1 50 -> 40.
    # G25 60 (2025) issued 2025-01-10 -> P1's 40 goes to it; outstanding 20.
    # As of 2025-02-01: paid 180, refunded 40; identity 160 - 180 + 40 = 20.
    # G25 due 2025-03-31 > D -> "not yet due": 20.  No allocation from P2.
    books = {
        "assessments.csv": (A_HEAD, [line("G24", "GBR", 2024, "base", "100", "2024-01-10", "2024-03-31"),
                                     line("G25", "GBR", 2025, "base", "60", "2025-01-10", "2025-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "GBR", "2024-02-01", "150"), pay("P2", "GBR", "2024-02-10", "30")]),
        "adjustments.csv": (ADJ_HEAD, [adj("RF1", "GBR", "2024-03-01", "refund", "", "", "40")]),
    }
    out, err = run(books, "2025-02-01")
    want = {"GBR": state("160.00", "0.00", "180.00", "40.00", "20.00", "0.00", "20.00", "0.00",
                         {"2024": ("100.00", "100.00", "0.00"), "2025": ("60.00", "40.00", "20.00")},
                         {"not yet due": "20.00"}, [],
                         [("P1", "G24", "base", "2024-02-01", "100.00"),
                          ("P1", "G25", "base", "2025-01-10", "40.00")])}
    return check(out, err, want)


@case
def as_of_cut_off():
    # HUN: H24 100 (2024, due 2024-03-31); P1 40 on 2024-02-01; P2 60 on 2024-07-01;
    # a write-off dated 2024-08-01 (after D).  As of 2024-06-30 only P1 counts:
    # paid 40, outstanding 60, adjusted 0.  91 days -> "91-180": 60.
    # LUX-like State IRL only has a line issued after D and a payment after D -> not listed.
    books = {
        "assessments.csv": (A_HEAD, [line("H24", "HUN", 2024, "base", "100", "2024-01-10", "2024-03-31"),
                                     line("I24", "IRL", 2024, "base", "10", "2024-07-10", "2024-09-30")]),
        "payments.csv": (P_HEAD, [pay("P1", "HUN", "2024-02-01", "40"), pay("P2", "HUN", "2024-07-01", "60"),
                                  pay("P9", "IRL", "2024-07-01", "5")]),
        "adjustments.csv": (ADJ_HEAD, [adj("W1", "HUN", "2024-08-01", "write-off", "H24", "", "10")]),
    }
    out, err = run(books, "2024-06-30")
    want = {"HUN": state("100.00", "0.00", "40.00", "0.00", "60.00", "0.00", "60.00", "0.00",
                         {"2024": ("100.00", "40.00", "60.00")}, {"91-180": "60.00"}, [],
                         [("P1", "H24", "base", "2024-02-01", "40.00")])}
    return check(out, err, want, {"2024": {"due": "100.00", "settled": "40.00", "rate_pct": "40.0"}})


@case
def art19_threshold_and_never_paid():
    # As of 2026-01-15 (Y = 2026).  ITA and JPN each: 2024 line 100 (due 2024-03-31),
    # 2025 line 100 (due 2025-03-31).  Y-1 + Y-2 due = 200.
    # ITA: nothing paid -> arrears 200 >= 200 (equal counts) -> art19; lines due before D
    #      and no payment -> never-paid.  Ageing: 655 days -> over 365: 100; 290 -> 181-365: 100.
    # JPN: P1 1.00 on 2025-06-01 -> oldest (2024) -> arrears 199 < 200 -> no art19; paid.
    # KOR: 2026 line 50 due 2026-03-31, nothing paid: not due yet -> no never-paid, no flags.
    # Years: 2024 due 200 settled 1 -> 0.5; 2025 due 200 settled 0 -> 0.0; 2026 -> 0.0.
    rows = []
    for s in ("ITA", "JPN"):
        rows.append(line(f"{s[0]}24", s, 2024, "base", "100", "2024-01-10", "2024-03-31"))
        rows.append(line(f"{s[0]}25", s, 2025, "base", "100", "2025-01-10", "2025-03-31"))
    rows.append(line("K26", "KOR", 2026, "base", "50", "2026-01-05", "2026-03-31"))
    books = {"assessments.csv": (A_HEAD, rows),
             "payments.csv": (P_HEAD, [pay("P1", "JPN", "2025-06-01", "1")])}
    out, err = run(books, "2026-01-15")
    want = {
        "ITA": state("200.00", "0.00", "0.00", "0.00", "200.00", "0.00", "200.00", "200.00",
                     {"2024": ("100.00", "0.00", "100.00"), "2025": ("100.00", "0.00", "100.00")},
                     {"over 365": "100.00", "181-365": "100.00"}, ["arrears", "art19", "never-paid"], []),
        "JPN": state("200.00", "0.00", "1.00", "0.00", "199.00", "0.00", "199.00", "199.00",
                     {"2024": ("100.00", "1.00", "99.00"), "2025": ("100.00", "0.00", "100.00")},
                     {"over 365": "99.00", "181-365": "100.00"}, ["arrears"],
                     [("P1", "J24", "base", "2025-06-01", "1.00")]),
        "KOR": state("50.00", "0.00", "0.00", "0.00", "50.00", "0.00", "50.00", "0.00",
                     {"2026": ("50.00", "0.00", "50.00")}, {"not yet due": "50.00"}, [], []),
    }
    years = {"2024": {"due": "200.00", "settled": "1.00", "rate_pct": "0.5"},
             "2025": {"due": "200.00", "settled": "0.00", "rate_pct": "0.0"},
             "2026": {"due": "50.00", "settled": "0.00", "rate_pct": "0.0"}}
    return check(out, err, want, years)


@case
def pledge_overdue_eur_paid_in_part():
    # LUX: L24 500 (2024, due 2024-03-31).  Pledge PL1 isu EUR 1000 expected 2024-06-30.
    # P1 EUR 600 (chf 570) isu on 2024-03-01: counts 600 EUR (same currency); settles L24
    # 500, credit 70.  P2 sponsorship CHF 1000: not in the account, not an isu payment.
    # As of 2024-06-30: expected not before D -> no pledge-overdue; flags credit.
    # As of 2024-07-15: 600 < 1000 -> pledge-overdue.
    # MLT (no lines): pledge PL2 isu EUR 500 expected 2024-06-01; EUR rate 0.90 from
    # 2024-01-01, 0.95 from 2024-06-01.  P3 USD 300 chf 270 on 2024-02-01 -> 270/0.90 =
    # 300 EUR; P4 CHF 180 on 2024-05-01 -> 180/0.90 = 200 EUR; total 500 -> fully paid,
    # no pledge-overdue.  MLT paid 450, all credit.
    books = {
        "assessments.csv": (A_HEAD, [line("L24", "LUX", 2024, "base", "500", "2024-01-10", "2024-03-31")]),
        "payments.csv": (P_HEAD, [pay("P1", "LUX", "2024-03-01", "600", "EUR", "570"),
                                  pay("P2", "LUX", "2024-04-01", "1000", purpose="sponsorship"),
                                  pay("P3", "MLT", "2024-02-01", "300", "USD", "270"),
                                  pay("P4", "MLT", "2024-05-01", "180")]),
        "pledges.csv": (PL_HEAD, ["PL1,LUX,isu,1000,EUR,2024-01-01,2024-06-30,,",
                                  "PL2,MLT,isu,500,EUR,2024-01-01,2024-06-01,,"]),
        "exchange-rates.csv": ("date,currency,chf", ["2024-01-01,EUR,0.90", "2024-06-01,EUR,0.95"]),
    }
    mlt = state("0.00", "0.00", "450.00", "0.00", "0.00", "450.00", "-450.00", "0.00",
                {}, {}, ["credit"], [])
    lux_alloc = [("P1", "L24", "base", "2024-03-01", "500.00")]
    out, err = run(books, "2024-06-30")
    # 2024-06-30 - 2024-03-31 = 91 days, but nothing outstanding.
    want = {"LUX": state("500.00", "0.00", "570.00", "0.00", "0.00", "70.00", "-70.00", "0.00",
                         {"2024": ("500.00", "500.00", "0.00")}, {}, ["credit"], lux_alloc),
            "MLT": mlt}
    r = check(out, err, want)
    if r:
        return "as of 2024-06-30: " + r
    out, err = run(books, "2024-07-15")
    want["LUX"]["flags"] = ["credit", "pledge-overdue"]
    return check(out, err, want)


@case
def forbidden_events_exit_non_zero():
    # A write-off of 101 on a line of 100 (reduced below zero), and separately a refund
    # of 31 when the credit is 30: both must exit non-zero.  Dated after D: no error.
    base = {"assessments.csv": (A_HEAD, [line("X24", "AUT", 2024, "base", "100", "2024-01-10", "2024-03-31")]),
            "payments.csv": (P_HEAD, [pay("P1", "AUT", "2024-02-01", "130")])}
    b1 = dict(base, **{"adjustments.csv": (ADJ_HEAD, [adj("W1", "AUT", "2024-05-01", "write-off", "X24", "", "101")])})
    b2 = dict(base, **{"adjustments.csv": (ADJ_HEAD, [adj("RF1", "AUT", "2024-05-01", "refund", "", "", "31")])})
    for name, b in (("below zero", b1), ("refund beyond credit", b2)):
        out, err = run(b, "2024-06-30")
        if out is not None:
            return f"{name}: expected an error exit"
        out, err = run(b, "2024-04-30")
        if out is None:
            return f"{name}: error although the event is after the as-of date: {err}"
    return None


def main():
    failed = 0
    for fn in CASES:
        problem = fn()
        print(f"{'PASS' if problem is None else 'FAIL'}  {fn.__name__}")
        if problem:
            failed += 1
            print("   " + problem)
    print(f"{len(CASES) - failed}/{len(CASES)} cases pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
