#!/usr/bin/env python3
"""Self-test of the apportionment oracle on cases worked out by hand.

Run:  python3 test/oracle/selftest.py      (exit status 0 = all cases pass)

Each case writes a tiny books directory (parties.csv, scale.csv, ldc.csv) and
a policy file into a temporary folder, runs apportion.py as a command, and
compares its JSON output (or its error exit) with numbers computed by hand in
the comments.
"""

import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "apportion.py")

PARTIES_HEADER = ("iso3,participant,signature_date,instrument_type,instrument_deposit_date,"
                  "entry_into_force,withdrawal_notified,withdrawal_effective,status_2026_02_03")


def write_books(folder, parties, rates, ldcs=()):
    """parties: list of (iso3, entry_into_force, withdrawal_effective).
    rates: iso3 -> rate string for column rate_2025_2027_pct (missing = not a UN member)."""
    with open(os.path.join(folder, "parties.csv"), "w", encoding="utf-8") as f:
        f.write(PARTIES_HEADER + "\n")
        for code, eif, withdrawal in parties:
            status = "withdrawn" if withdrawal else ("party" if eif else "signatory")
            kind = "ratification" if eif else ""
            f.write(f"{code},Name {code},2008-12-03,{kind},,{eif},,{withdrawal},{status}\n")
    with open(os.path.join(folder, "scale.csv"), "w", encoding="utf-8") as f:
        f.write("iso3,member_state,rate_2022_2024_pct,rate_2025_2027_pct\n")
        for code in sorted(rates):
            f.write(f"{code},Name {code},{rates[code]},{rates[code]}\n")
    with open(os.path.join(folder, "ldc.csv"), "w", encoding="utf-8") as f:
        f.write("iso3,name\n")
        for code in sorted(ldcs):
            f.write(f"{code},Name {code}\n")


POLICY_HEAD = """\
schema: finproc.policy/1
id: selftest
title: Self-test policy
source: Illustrative, for the oracle self-test only.
scale:
  periods:
    - { from: 2025, to: 2027, column: rate_2025_2027_pct }
"""


def run(folder, policy_text, year, budget):
    path = os.path.join(folder, "policy.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(policy_text)
    proc = subprocess.run(
        [sys.executable, ORACLE, "--books", folder, "--policy", path,
         "--year", str(year), "--budget", budget],
        capture_output=True, text=True)
    return proc


FAILURES = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok   {name}")
    else:
        print(f"FAIL {name} {detail}")
        FAILURES.append(name)


def per_state(result):
    """Total per State, exact (2-decimal amounts only)."""
    totals = {}
    for line in result["lines"]:
        totals[line["iso3"]] = totals.get(line["iso3"], Fraction(0)) + Fraction(line["amount"])
    shown = {}
    for code, value in totals.items():
        cents = value * 100
        assert cents.denominator == 1
        shown[code] = f"{cents.numerator // 100}.{cents.numerator % 100:02d}"
    return shown


def lines_of(result):
    return [(l["iso3"], l["category"], l["amount"]) for l in result["lines"]]


def expect_result(name, folder, policy, year, budget, categories, lines):
    proc = run(folder, policy, year, budget)
    if proc.returncode != 0:
        check(name, False, f"exit {proc.returncode}: {proc.stderr.strip()}")
        return None
    result = json.loads(proc.stdout)
    got_cats = [(c["id"], c["amount"]) for c in result["categories"]]
    check(name + " (categories)", got_cats == categories, f"got {got_cats}")
    check(name + " (lines)", lines_of(result) == lines, f"got {lines_of(result)}")
    return result


def expect_error(name, folder, policy, year, budget, fragment):
    proc = run(folder, policy, year, budget)
    one_line = proc.stderr.strip().count("\n") == 0 and proc.stderr.strip() != ""
    check(name, proc.returncode == 1 and one_line and fragment in proc.stderr and proc.stdout == "",
          f"exit {proc.returncode}, stderr {proc.stderr.strip()!r}")


def case_domain_example(tmp):
    # The worked example of docs/policy.md (from the project's domain brief). Budget 1000.00; 20 % equal, 80 % scale;
    # rates 0.5, 0.3, 0.2; unit 0.01; largest remainder.
    #   Equal part 200.00 / 3 = 66.666...: floors 66.66 x 3 = 199.98, 2 units
    #   missing; remainders and quotas all equal, so the next tie-break of
    #   docs/policy.md step 9 (larger rate) decides: the States with rates 0.5
    #   and 0.3 get 66.67, the one with 0.2 gets 66.66.  The codes are chosen
    #   so that ISO3 order is the REVERSE of rate order (CCC 0.5, BBB 0.3,
    #   AAA 0.2): a tie-break that skipped the rate would give AAA the unit.
    #   Scale part 800 x 0.5/0.3/0.2 = 400.00 / 240.00 / 160.00.
    #   Totals CCC 466.67 / BBB 306.67 / AAA 226.66 = 1000.00.
    folder = os.path.join(tmp, "domain")
    os.mkdir(folder)
    write_books(folder,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""), ("CCC", "2010-08-01", "")],
                {"AAA": "0.200", "BBB": "0.300", "CCC": "0.500"})
    policy = POLICY_HEAD + """\
categories:
  - { id: base, name: Equal part, basis: equal, share: "20" }
  - { id: scale, name: Scale part, basis: scale, share: "80" }
"""
    result = expect_result(
        "worked example", folder, policy, 2026, "1000.00",
        [("base", "200.00"), ("scale", "800.00")],
        [("AAA", "base", "66.66"), ("AAA", "scale", "160.00"),
         ("BBB", "base", "66.67"), ("BBB", "scale", "240.00"),
         ("CCC", "base", "66.67"), ("CCC", "scale", "400.00")])
    if result:
        check("worked example totals 466.67 / 306.67 / 226.66",
              per_state(result) == {"CCC": "466.67", "BBB": "306.67", "AAA": "226.66"},
              str(per_state(result)))
        check("year and total", result["year"] == 2026 and result["total"] == "1000.00")

    # Tie-break past the rate: equal 100 %, budget 1000.00, rule error (an
    # equal category needs no rate).  AAA has no UN rate, BBB and CCC 0.1.
    #   1000 / 3 = 333.333...: floors 333.33 x 3 = 999.99, 1 unit missing.
    #   Remainders and quotas tie; AAA has no rate and counts as lowest;
    #   BBB and CCC tie on rate; ISO3 gives the unit to BBB.
    #   Lines: AAA 333.33, BBB 333.34, CCC 333.33.
    folder2 = os.path.join(tmp, "tiebreak")
    os.mkdir(folder2)
    write_books(folder2,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""), ("CCC", "2010-08-01", "")],
                {"BBB": "0.100", "CCC": "0.100"})
    policy2 = POLICY_HEAD + """\
categories:
  - { id: base, name: Equal part, basis: equal, share: "100" }
"""
    expect_result("tie-break: no rate lowest, then ISO3", folder2, policy2, 2026, "1000.00",
                  [("base", "1000.00")],
                  [("AAA", "base", "333.33"), ("BBB", "base", "333.34"), ("CCC", "base", "333.33")])


def case_cascading_max(tmp):
    # A bound that binds, in two rounds.  Budget 1000.00, one scale category
    # (100 %), rates A 0.40, B 0.30, C 0.20, D 0.10, max 33 % of the category
    # = 330.00.
    #   Round 1: quotas 400, 300, 200, 100.  A 400 > 330: A fixed at 330.00.
    #            Left 670 for B, C, D (weights 0.3, 0.2, 0.1; sum 0.6).
    #   Round 2: B 670 x 0.3/0.6 = 335 > 330: B fixed at 330.00.
    #            Left 340 for C, D (weights 0.2, 0.1; sum 0.3).
    #   Round 3: C 340 x 2/3 = 226.666..., D 340 x 1/3 = 113.333...; no violator.
    #   Rounding: floors 330.00 + 330.00 + 226.66 + 113.33 = 999.99, 1 unit
    #   missing; remainders C 0.00666.. > D 0.00333..: C gets it -> 226.67.
    #   Lines: A 330.00, B 330.00, C 226.67, D 113.33 (sum 1000.00).
    folder = os.path.join(tmp, "cascade")
    os.mkdir(folder)
    write_books(folder,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""),
                 ("CCC", "2010-08-01", ""), ("DDD", "2010-08-01", "")],
                {"AAA": "0.400", "BBB": "0.300", "CCC": "0.200", "DDD": "0.100"})
    policy = POLICY_HEAD + """\
categories:
  - id: scale
    name: Scale part
    basis: scale
    share: "100"
    bounds:
      max: { percent: "33", of: category }
"""
    expect_result(
        "max bound binding in two rounds", folder, policy, 2026, "1000.00",
        [("scale", "1000.00")],
        [("AAA", "scale", "330.00"), ("BBB", "scale", "330.00"),
         ("CCC", "scale", "226.67"), ("DDD", "scale", "113.33")])

    # Same data, max 35 % and min 10 % of the category (350.00 / 100.00) with
    # rates 0.6/0.3/0.05/0.05. By hand: at the solution A and B are held at their
    # maximum 350 each; C and D share the remaining 300 by weight 0.05 : 0.05, so
    # 150 each, above their minimum 100. (Fixing every violator of the first round
    # at once - A at 350 and C, D at 100 - would wrongly end with no solution:
    # docs/policy.md step 8 fixes one side per round for that reason.)
    folder2 = os.path.join(tmp, "both-bounds")
    os.mkdir(folder2)
    write_books(folder2,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""),
                 ("CCC", "2010-08-01", ""), ("DDD", "2010-08-01", "")],
                {"AAA": "0.600", "BBB": "0.300", "CCC": "0.050", "DDD": "0.050"})
    policy2 = POLICY_HEAD + """\
categories:
  - id: scale
    name: Scale part
    basis: scale
    share: "100"
    bounds:
      min: { percent: "10", of: category }
      max: { percent: "35", of: category }
"""
    expect_result(
        "min and max both binding", folder2, policy2, 2026, "1000.00",
        [("scale", "1000.00")],
        [("AAA", "scale", "350.00"), ("BBB", "scale", "350.00"),
         ("CCC", "scale", "150.00"), ("DDD", "scale", "150.00")])

    # Four States, each at most 20 % of the category: 80 % cannot cover 100 %.
    policy3 = POLICY_HEAD + """\
categories:
  - id: scale
    name: Scale part
    basis: scale
    share: "100"
    bounds:
      max: { percent: "20", of: category }
"""
    expect_error("maximums fall short of the category -> infeasible",
                 folder2, policy3, 2026, "1000.00", "infeasible")


def case_ldc_max_of_total(tmp):
    # LDC ceiling of the total and a max of the category, fixed together.
    # Budget 1000.00; 20 % equal (200.00), 80 % scale (800.00); DDD is an LDC.
    # Scale bounds: max 35 % of category = 280.00; ldc_max 5 % of total = 50.00.
    #   Round 1: 320, 240, 160, 80.  A 320 > 280 -> 280; D 80 > 50 -> 50 (both
    #            in the same round).  Left 800 - 330 = 470 for B, C (0.3, 0.2).
    #   Round 2: B 470 x 0.6 = 282 > 280 -> 280.  Left 190 for C.
    #   Round 3: C 190, no violator.
    #   Equal part 200 / 4 = 50.00 each.
    folder = os.path.join(tmp, "ldc")
    os.mkdir(folder)
    write_books(folder,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""),
                 ("CCC", "2010-08-01", ""), ("DDD", "2010-08-01", "")],
                {"AAA": "0.400", "BBB": "0.300", "CCC": "0.200", "DDD": "0.100"},
                ldcs=("DDD",))
    policy = POLICY_HEAD + """\
categories:
  - { id: base, name: Equal part, basis: equal, share: "20" }
  - id: scale
    name: Scale part
    basis: scale
    share: "80"
    bounds:
      max: { percent: "35", of: category }
      ldc_max: { percent: "5", of: total }
"""
    expect_result(
        "ldc_max of total + max of category", folder, policy, 2026, "1000.00",
        [("base", "200.00"), ("scale", "800.00")],
        [("AAA", "base", "50.00"), ("AAA", "scale", "280.00"),
         ("BBB", "base", "50.00"), ("BBB", "scale", "280.00"),
         ("CCC", "base", "50.00"), ("CCC", "scale", "190.00"),
         ("DDD", "base", "50.00"), ("DDD", "scale", "50.00")])


def case_pro_rata_and_payers(tmp):
    # Payers of 2026 and months bound.
    #   AAA in force 2010: m = 12.   BBB in force 2026-07-01: m = 6.
    #   CCC withdrawal effective 2026-03-06: bound 1 Jan, 1 Feb, 1 Mar: m = 3.
    #   DDD withdrawal effective 2026-01-01: not a payer.  EEE in force 2027: not a payer.
    #   FFF signatory (no entry into force): not a payer.
    # Equal 100 %, pro_rata months, budget 1050.00: weights 12 + 6 + 3 = 21:
    #   AAA 600.00, BBB 300.00, CCC 150.00.
    # With pro_rata none: 1050 / 3 = 350.00 each.
    folder = os.path.join(tmp, "prorata")
    os.mkdir(folder)
    write_books(folder,
                [("AAA", "2010-08-01", ""), ("BBB", "2026-07-01", ""),
                 ("CCC", "2010-08-01", "2026-03-06"), ("DDD", "2010-08-01", "2026-01-01"),
                 ("EEE", "2027-01-01", ""), ("FFF", "", "")],
                {"AAA": "0.400", "BBB": "0.300", "CCC": "0.200", "DDD": "0.100"})
    policy = POLICY_HEAD + """\
pro_rata: months
categories:
  - { id: base, name: Equal part, basis: equal, share: "100" }
"""
    expect_result("pro_rata months", folder, policy, 2026, "1050.00",
                  [("base", "1050.00")],
                  [("AAA", "base", "600.00"), ("BBB", "base", "300.00"), ("CCC", "base", "150.00")])
    expect_result("pro_rata none", folder, policy.replace("pro_rata: months", "pro_rata: none"),
                  2026, "1050.00", [("base", "1050.00")],
                  [("AAA", "base", "350.00"), ("BBB", "base", "350.00"), ("CCC", "base", "350.00")])
    # EEE is unrated too, but not a payer: the scale category is fine.
    # A scale category with an unrated payer and the default rule error -> error.
    folder2 = os.path.join(tmp, "unrated")
    os.mkdir(folder2)
    write_books(folder2, [("AAA", "2010-08-01", ""), ("VVV", "2010-08-01", "")], {"AAA": "0.400"})
    policy2 = POLICY_HEAD + """\
categories:
  - { id: scale, name: Scale part, basis: scale, share: "100" }
"""
    expect_error("unrated payer with rule error", folder2, policy2, 2026, "100.00", "VVV")
    # Notional rate 0.1 for VVV: weights 0.4 and 0.1 -> 80.00 / 20.00.
    policy3 = policy2.replace(
        "    - { from: 2025, to: 2027, column: rate_2025_2027_pct }\n",
        "    - { from: 2025, to: 2027, column: rate_2025_2027_pct }\n"
        "  unrated: { rule: notional, rate: \"0.1\", states: [VVV] }\n")
    expect_result("unrated payer with notional rate", folder2, policy3, 2026, "100.00",
                  [("scale", "100.00")], [("AAA", "scale", "80.00"), ("VVV", "scale", "20.00")])
    # The notional rate is only for the States named in `states`: VVV not named -> error.
    policy4 = policy3.replace("states: [VVV]", "states: [AAA]")
    expect_error("unrated payer not named for the notional rate", folder2, policy4, 2026, "100.00", "VVV")


def case_rounding_methods(tmp):
    # 3 equal payers, budget 1000.00 -> quota 333.333... each.
    #   unit 0.05, largest remainder: floors 333.30 x 3 = 999.90, 2 units missing,
    #     remainders and quotas tied -> the larger rates AAA 0.5, BBB 0.3 get
    #     333.35; CCC 333.30.
    #   unit 0.05, half-up: 333.333/0.05 = 6666.67 -> 6667 units = 333.35 each
    #     (lines sum to 1000.05; the category stays 1000.00).
    #   unit 1 refuses the budget 1000.50 (not a whole number of units).
    folder = os.path.join(tmp, "rounding")
    os.mkdir(folder)
    write_books(folder,
                [("AAA", "2010-08-01", ""), ("BBB", "2010-08-01", ""), ("CCC", "2010-08-01", "")],
                {"AAA": "0.500", "BBB": "0.300", "CCC": "0.200"})
    base = POLICY_HEAD + """\
rounding: { unit: "0.05", method: METHOD }
categories:
  - { id: base, name: Equal part, basis: equal, share: "100" }
"""
    expect_result("unit 0.05 largest remainder", folder, base.replace("METHOD", "largest-remainder"),
                  2026, "1000.00", [("base", "1000.00")],
                  [("AAA", "base", "333.35"), ("BBB", "base", "333.35"), ("CCC", "base", "333.30")])
    expect_result("unit 0.05 half-up", folder, base.replace("METHOD", "half-up"),
                  2026, "1000.00", [("base", "1000.00")],
                  [("AAA", "base", "333.35"), ("BBB", "base", "333.35"), ("CCC", "base", "333.35")])
    unit1 = base.replace('"0.05"', '"1"').replace("METHOD", "largest-remainder")
    expect_error("budget not a whole number of units", folder, unit1, 2026, "1000.50", "rounding units")
    # unit 1: 1000 / 3 -> 334, 333, 333 (one unit missing, to the largest rate AAA)
    expect_result("unit 1", folder, unit1, 2026, "1000", [("base", "1000")],
                  [("AAA", "base", "334"), ("BBB", "base", "333"), ("CCC", "base", "333")])
    bad = POLICY_HEAD + """\
categories:
  - { id: base, name: Equal part, basis: equal, share: "20" }
  - { id: scale, name: Scale part, basis: scale, share: "70" }
"""
    expect_error("shares not 100", folder, bad, 2026, "1000.00", "not 100")
    typo = POLICY_HEAD + """\
categories:
  - { id: base, name: Equal part, basis: equal, shares: "100" }
"""
    expect_error("unknown key", folder, typo, 2026, "1000.00", "unknown key")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        case_domain_example(tmp)
        case_cascading_max(tmp)
        case_ldc_max_of_total(tmp)
        case_pro_rata_and_payers(tmp)
        case_rounding_methods(tmp)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
