#!/usr/bin/env python3
"""Independent oracle for finproc's apportionment.

Written from docs/policy.md only (never from src/), so that it can check the
TypeScript engine's numbers.  Standard library + PyYAML.  All arithmetic is
exact: every number is a fractions.Fraction built from a decimal *string*.

Usage:
    python3 test/oracle/apportion.py --books DIR --policy FILE --year YYYY --budget AMOUNT

DIR holds scale.csv, parties.csv and ldc.csv.  The result is printed as one
JSON document on stdout.  A policy or input error prints one line on stderr
and exits with status 1.

Readings of points that docs/policy.md leaves open are marked "READING:".
"""

import argparse
import csv
import datetime
import json
import os
import re
import sys
from fractions import Fraction

import yaml


class OracleError(Exception):
    """Any policy, data or input error: reported on one line, exit 1."""


HUNDRED = Fraction(100)

DECIMAL_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
YEAR_RE = re.compile(r"^[0-9]{4}$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
POLICY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CATEGORY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------

def number(text, where):
    """A non-negative decimal written as a string -> Fraction (never float)."""
    if not isinstance(text, str) or not DECIMAL_RE.match(text):
        raise OracleError(f"{where}: expected a decimal number as a string, got {text!r}")
    return Fraction(text)


def year_number(text, where):
    if not isinstance(text, str) or not YEAR_RE.match(text):
        raise OracleError(f"{where}: expected a year (YYYY), got {text!r}")
    return int(text)


def check_keys(mapping, allowed, where):
    if not isinstance(mapping, dict):
        raise OracleError(f"{where}: expected a mapping")
    for key in mapping:
        if key not in allowed:
            raise OracleError(f"{where}: unknown key {key!r}")


def require(mapping, key, where):
    if key not in mapping:
        raise OracleError(f"{where}: missing required key {key!r}")
    return mapping[key]


def iso3_list(value, where):
    if not isinstance(value, list):
        raise OracleError(f"{where}: expected a list of ISO3 codes")
    for code in value:
        if not isinstance(code, str) or not ISO3_RE.match(code):
            raise OracleError(f"{where}: not an ISO3 code: {code!r}")
    return list(value)


def iso3_map(value, where):
    if not isinstance(value, dict):
        raise OracleError(f"{where}: expected a map ISO3 -> number")
    result = {}
    for code, text in value.items():
        if not ISO3_RE.match(code):
            raise OracleError(f"{where}: not an ISO3 code: {code!r}")
        result[code] = number(text, f"{where}.{code}")
    return result


def floor_to_units(x, unit):
    """How many whole units fit in x (floor, also for negative x)."""
    q = x / unit
    return q.numerator // q.denominator


def count_units(x, unit, where):
    q = x / unit
    if q.denominator != 1:
        raise OracleError(f"{where}: {format_fraction(x)} is not a whole number of rounding units ({format_fraction(unit)})")
    return q.numerator


def format_fraction(x):
    """For messages only."""
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def format_amount(x, decimals):
    scaled = x * (10 ** decimals)
    if scaled.denominator != 1:
        raise AssertionError(f"{x} cannot be written with {decimals} decimals")
    n = scaled.numerator
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(decimals + 1, "0")
    if decimals == 0:
        return sign + digits
    return sign + digits[:-decimals] + "." + digits[-decimals:]


def parse_date(text, where):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise OracleError(f"{where}: bad date {text!r}")


# ---------------------------------------------------------------------------
# books
# ---------------------------------------------------------------------------

def read_csv(path):
    if not os.path.exists(path):
        raise OracleError(f"missing file {path}")
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Books:
    def __init__(self, directory):
        self.parties = read_csv(os.path.join(directory, "parties.csv"))
        self.scale_rows = read_csv(os.path.join(directory, "scale.csv"))
        self.scale_columns = list(self.scale_rows[0].keys()) if self.scale_rows else []
        self.ldc = {row["iso3"] for row in read_csv(os.path.join(directory, "ldc.csv"))}
        self.scale = {row["iso3"]: row for row in self.scale_rows}


# ---------------------------------------------------------------------------
# policy (parsing + validation of the shape; year-dependent checks come later)
# ---------------------------------------------------------------------------

TOP_KEYS = {"schema", "id", "title", "source", "currency", "scale", "pro_rata", "entry_into_force", "rounding", "categories"}
CATEGORY_KEYS = {"id", "name", "display", "basis", "share", "amount", "members", "amounts", "fixed_shares", "bounds"}  # "display": names for invoices, no effect on amounts
SELECTOR_KEYS = {"iso3", "except", "ldc", "rate_at_least", "rate_below"}
UNITS = {"0.01", "0.05", "1"}


def parse_bound(raw, where):
    check_keys(raw, {"percent", "of"}, where)
    percent = number(require(raw, "percent", where), where + ".percent")
    of = require(raw, "of", where)
    if of not in ("total", "category"):
        raise OracleError(f"{where}.of: must be 'total' or 'category', got {of!r}")
    return {"percent": percent, "of": of}


def parse_selector(raw, where):
    if isinstance(raw, str):
        if raw not in ("all", "ldc", "non-ldc", "rest"):
            raise OracleError(f"{where}: unknown selector {raw!r}")
        return raw
    check_keys(raw, SELECTOR_KEYS, where)
    sel = {}
    if "iso3" in raw:
        sel["iso3"] = iso3_list(raw["iso3"], where + ".iso3")
    if "except" in raw:
        sel["except"] = iso3_list(raw["except"], where + ".except")
    if "ldc" in raw:
        if raw["ldc"] not in ("true", "false"):
            raise OracleError(f"{where}.ldc: must be true or false")
        sel["ldc"] = raw["ldc"] == "true"
    if "rate_at_least" in raw:
        sel["rate_at_least"] = number(raw["rate_at_least"], where + ".rate_at_least")
    if "rate_below" in raw:
        sel["rate_below"] = number(raw["rate_below"], where + ".rate_below")
    return sel


def load_policy(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise OracleError(f"cannot read policy {path}: {exc}")
    try:
        raw = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        raise OracleError(f"policy {path}: YAML error: {str(exc).splitlines()[0]}")

    check_keys(raw, TOP_KEYS, "policy")
    if require(raw, "schema", "policy") != "finproc.policy/1":
        raise OracleError("policy.schema: must be finproc.policy/1")
    policy_id = require(raw, "id", "policy")
    if not isinstance(policy_id, str) or not POLICY_ID_RE.match(policy_id):
        raise OracleError(f"policy.id: bad id {policy_id!r}")
    for key in ("title", "source"):
        value = require(raw, key, "policy")
        if not isinstance(value, str) or not value.strip():
            raise OracleError(f"policy.{key}: must be a non-empty string")
    currency = raw.get("currency", "CHF")
    if not isinstance(currency, str) or not CURRENCY_RE.match(currency):
        raise OracleError(f"policy.currency: bad code {currency!r}")

    # scale
    scale = require(raw, "scale", "policy")
    check_keys(scale, {"periods", "unrated"}, "scale")
    periods_raw = require(scale, "periods", "scale")
    if not isinstance(periods_raw, list) or not periods_raw:
        raise OracleError("scale.periods: must be a non-empty list")
    periods = []
    for i, p in enumerate(periods_raw):
        where = f"scale.periods[{i}]"
        check_keys(p, {"from", "to", "column"}, where)
        first = year_number(require(p, "from", where), where + ".from")
        last = year_number(require(p, "to", where), where + ".to")
        column = require(p, "column", where)
        if first > last:
            raise OracleError(f"{where}: from is after to")
        periods.append((first, last, column))
    for i in range(len(periods)):
        for j in range(i + 1, len(periods)):
            a, b = periods[i], periods[j]
            if a[0] <= b[1] and b[0] <= a[1]:
                raise OracleError(f"scale.periods[{i}] and scale.periods[{j}] overlap")

    unrated_raw = scale.get("unrated", {})
    check_keys(unrated_raw, {"rule", "rate", "rates", "states"}, "scale.unrated")
    unrated = {
        "rule": unrated_raw.get("rule", "error"),
        "rate": None,
        "rates": {},
        "states": set(),
    }
    if unrated["rule"] not in ("notional", "error"):
        raise OracleError(f"scale.unrated.rule: must be notional or error, got {unrated['rule']!r}")
    if "rate" in unrated_raw:
        unrated["rate"] = number(unrated_raw["rate"], "scale.unrated.rate")
    if "rates" in unrated_raw:
        unrated["rates"] = iso3_map(unrated_raw["rates"], "scale.unrated.rates")
    # docs/policy.md: `rate` is the notional rate of the States listed in `states` only.
    if "states" in unrated_raw:
        unrated["states"] = set(unrated_raw["states"])
    if unrated["rule"] == "notional" and unrated["rate"] is not None and not unrated["states"]:
        raise OracleError("scale.unrated.rate: applies to the States in scale.unrated.states, which names none")

    pro_rata = raw.get("pro_rata", "none")
    if pro_rata not in ("none", "months"):
        raise OracleError(f"pro_rata: must be none or months, got {pro_rata!r}")

    rounding_raw = raw.get("rounding", {})
    check_keys(rounding_raw, {"unit", "method"}, "rounding")
    unit_text = rounding_raw.get("unit", "0.01")
    if unit_text not in UNITS:
        raise OracleError(f"rounding.unit: must be one of 0.01, 0.05, 1; got {unit_text!r}")
    method = rounding_raw.get("method", "largest-remainder")
    if method not in ("largest-remainder", "half-up", "half-even"):
        raise OracleError(f"rounding.method: unknown method {method!r}")
    unit = Fraction(unit_text)
    decimals = len(unit_text.split(".")[1]) if "." in unit_text else 0

    # categories
    cats_raw = require(raw, "categories", "policy")
    if not isinstance(cats_raw, list) or not cats_raw:
        raise OracleError("categories: must be a non-empty list")
    categories = []
    seen_ids = set()
    for index, c in enumerate(cats_raw):
        where = f"categories[{index}]"
        check_keys(c, CATEGORY_KEYS, where)
        cid = require(c, "id", where)
        if not isinstance(cid, str) or not CATEGORY_ID_RE.match(cid):
            raise OracleError(f"{where}.id: bad id {cid!r}")
        if cid in seen_ids:
            raise OracleError(f"{where}.id: duplicate id {cid!r}")
        seen_ids.add(cid)
        where = f"category {cid}"
        require(c, "name", where)
        basis = require(c, "basis", where)
        if basis not in ("scale", "equal", "fixed", "voluntary"):
            raise OracleError(f"{where}.basis: unknown basis {basis!r}")
        cat = {
            "id": cid,
            "index": index,
            "basis": basis,
            "share": None,
            "amount": None,
            "members": "all",
            "members_given": "members" in c,
            "amounts": {},
            "fixed_shares": {},
            "bounds": {},
        }
        if "share" in c:
            cat["share"] = number(c["share"], where + ".share")
        if "amount" in c:
            cat["amount"] = number(c["amount"], where + ".amount")
            count_units(cat["amount"], unit, where + ".amount")
        if basis == "fixed":
            if cat["share"] is not None:
                raise OracleError(f"{where}: a fixed category cannot have a share")
            if "amounts" not in c:
                raise OracleError(f"{where}: basis fixed needs amounts")
            cat["amounts"] = iso3_map(c["amounts"], where + ".amounts")
            for code, amt in cat["amounts"].items():
                count_units(amt, unit, f"{where}.amounts.{code}")
            total = sum(cat["amounts"].values(), Fraction(0))
            if cat["amount"] is not None and cat["amount"] != total:
                raise OracleError(f"{where}: amount is not the sum of amounts")
            cat["amount"] = total
            # READING: the members of a fixed category are the States in
            # `amounts`; a selector on top of that is not meaningful.
            if "members" in c:
                raise OracleError(f"{where}: members is not used with basis fixed (the members are the States in amounts)")
        else:
            if "amounts" in c:
                raise OracleError(f"{where}: amounts is only for basis fixed")
            if (cat["share"] is None) == (cat["amount"] is None):
                raise OracleError(f"{where}: give exactly one of share and amount")
        if "members" in c:
            cat["members"] = parse_selector(c["members"], where + ".members")
        if "fixed_shares" in c:
            if basis not in ("scale", "equal"):
                raise OracleError(f"{where}: fixed_shares only with basis scale or equal")
            cat["fixed_shares"] = iso3_map(c["fixed_shares"], where + ".fixed_shares")
        if "bounds" in c:
            # READING: bounds only make sense where quotas are computed.
            if basis not in ("scale", "equal"):
                raise OracleError(f"{where}: bounds only with basis scale or equal")
            check_keys(c["bounds"], {"min", "max", "ldc_max"}, where + ".bounds")
            for key, value in c["bounds"].items():
                cat["bounds"][key] = parse_bound(value, f"{where}.bounds.{key}")
        categories.append(cat)

    rest_count = sum(1 for cat in categories if cat["members"] == "rest")
    if rest_count > 1:
        raise OracleError("at most one category may use members: rest")

    return {
        "id": policy_id,
        "periods": periods,
        "unrated": unrated,
        "pro_rata": pro_rata,
        "unit": unit,
        "decimals": decimals,
        "method": method,
        "categories": categories,
    }


# ---------------------------------------------------------------------------
# step 1-3: payers, months bound, rates
# ---------------------------------------------------------------------------

def find_payers(books, year):
    """iso3 -> {"m": months bound, "ldc": bool}."""
    jan1 = datetime.date(year, 1, 1)
    dec31 = datetime.date(year, 12, 31)
    payers = {}
    for row in books.parties:
        code = row["iso3"]
        if not row["entry_into_force"]:
            continue  # signatory: not a party
        eif = parse_date(row["entry_into_force"], f"parties.csv {code}")
        withdrawal = None
        if row.get("withdrawal_effective"):
            withdrawal = parse_date(row["withdrawal_effective"], f"parties.csv {code}")
        if eif > dec31:
            continue
        if withdrawal is not None and withdrawal <= jan1:
            continue
        months = 0
        for month in range(1, 13):
            first_day = datetime.date(year, month, 1)
            bound = eif <= first_day and (withdrawal is None or withdrawal > first_day)
            if bound:
                months += 1
        payers[code] = {"m_actual": months, "ldc": code in books.ldc}
    return payers


class Rates:
    """UN rate (percent) of each payer, per step 3; looked up lazily."""

    def __init__(self, books, policy, year):
        self.books = books
        self.unrated = policy["unrated"]
        self.column = None
        for first, last, column in policy["periods"]:
            if first <= year <= last:
                self.column = column
        # READING: a year outside every period is an error even when no
        # category needs rates.
        if self.column is None:
            raise OracleError(f"scale.periods: no period covers {year}")
        if self.column not in books.scale_columns or self.column in ("iso3", "member_state"):
            raise OracleError(f"scale.periods: scale.csv has no rate column {self.column!r}")

    def un_rate(self, code):
        row = self.books.scale.get(code)
        if row is None or row[self.column].strip() == "":
            return None
        return number(row[self.column].strip(), f"scale.csv {code} {self.column}")

    def rate_for_tie_break(self, code):
        """The rate of step 3, or None when step 3 gives the State no rate
        (rule error, or notional without a rate for it): None counts as lowest."""
        try:
            return self.rate(code, "tie-break")
        except OracleError:
            return None

    def rate(self, code, why):
        r = self.un_rate(code)
        if r is not None:
            return r
        if self.unrated["rule"] == "error":
            raise OracleError(f"{code} has no UN rate and scale.unrated.rule is error ({why})")
        if code in self.unrated["rates"]:
            return self.unrated["rates"][code]
        if self.unrated["rate"] is not None and code in self.unrated["states"]:
            return self.unrated["rate"]
        raise OracleError(f"{code} has no UN rate and scale.unrated gives no rate for it ({why})")


# ---------------------------------------------------------------------------
# step 4: category amounts
# ---------------------------------------------------------------------------

def category_amounts(policy, budget):
    unit = policy["unit"]
    cats = policy["categories"]
    taken = sum((c["amount"] for c in cats if c["amount"] is not None), Fraction(0))
    rest = budget - taken
    if rest < 0:
        raise OracleError("the fixed amounts exceed the budget")
    sharers = [c for c in cats if c["amount"] is None]
    amounts = {c["id"]: c["amount"] for c in cats if c["amount"] is not None}
    if not sharers:
        # READING: with no share category, the fixed amounts must use up the budget.
        if rest != 0:
            raise OracleError("no category has a share, and the fixed amounts do not use up the budget")
        return amounts
    share_sum = sum((c["share"] for c in sharers), Fraction(0))
    if share_sum != HUNDRED:
        raise OracleError(f"the shares sum to {format_fraction(share_sum)}, not 100")

    quotas = {c["id"]: rest * c["share"] / HUNDRED for c in sharers}
    units = {c["id"]: floor_to_units(quotas[c["id"]], unit) for c in sharers}
    missing = count_units(rest, unit, "budget after fixed amounts") - sum(units.values())

    def order(c):
        remainder = quotas[c["id"]] - units[c["id"]] * unit
        return (-remainder, -c["share"], c["index"])

    for c in sorted(sharers, key=order)[:missing]:
        units[c["id"]] += 1
    for c in sharers:
        amounts[c["id"]] = units[c["id"]] * unit
    return amounts


# ---------------------------------------------------------------------------
# step 5: members
# ---------------------------------------------------------------------------

def selected_by(selector, payers, rates, category_id):
    """Set of payers picked by a selector other than 'rest'."""
    if selector == "all":
        return set(payers)
    if selector == "ldc":
        return {p for p in payers if payers[p]["ldc"]}
    if selector == "non-ldc":
        return {p for p in payers if not payers[p]["ldc"]}
    for code in selector.get("iso3", []):
        if code not in payers:
            raise OracleError(f"category {category_id}: {code} in members.iso3 is not a payer of the year")
    picked = set()
    for code in sorted(payers):
        # READING: conditions are checked in this order and a rate is only
        # looked up when the other conditions already hold.
        if "iso3" in selector and code not in selector["iso3"]:
            continue
        if code in selector.get("except", []):
            continue
        if "ldc" in selector and payers[code]["ldc"] != selector["ldc"]:
            continue
        if "rate_at_least" in selector or "rate_below" in selector:
            r = rates.rate(code, f"members of category {category_id} select by rate")
            if "rate_at_least" in selector and not r >= selector["rate_at_least"]:
                continue
            if "rate_below" in selector and not r < selector["rate_below"]:
                continue
        picked.add(code)
    return picked


def all_members(policy, payers, rates):
    members = {}
    rest_id = None
    for cat in policy["categories"]:
        cid = cat["id"]
        if cat["basis"] == "voluntary":
            # Voluntary categories invoice no one; their selector still must
            # not name non-payers.
            if isinstance(cat["members"], dict):
                for code in cat["members"].get("iso3", []):
                    if code not in payers:
                        raise OracleError(f"category {cid}: {code} in members.iso3 is not a payer of the year")
            continue
        if cat["basis"] == "fixed":
            for code in cat["amounts"]:
                if code not in payers:
                    raise OracleError(f"category {cid}: {code} in amounts is not a payer of the year")
            members[cid] = set(cat["amounts"])
        elif cat["members"] == "rest":
            rest_id = cid
        else:
            members[cid] = selected_by(cat["members"], payers, rates, cid)
    if rest_id is not None:
        picked_elsewhere = set()
        for chosen in members.values():
            picked_elsewhere |= chosen
        members[rest_id] = set(payers) - picked_elsewhere
    return members


# ---------------------------------------------------------------------------
# steps 6-8: exact quotas of one category
# ---------------------------------------------------------------------------

def exact_quotas(cat, amount, member_set, payers, rates, budget):
    cid = cat["id"]
    quotas = {}

    # step 7: fixed shares
    for code, percent in cat["fixed_shares"].items():
        if code not in payers:
            raise OracleError(f"category {cid}: {code} in fixed_shares is not a payer of the year")
        if code not in member_set:
            # READING: a fixed share is a share of this category, so the State
            # must be a member of it.
            raise OracleError(f"category {cid}: {code} has a fixed share but is not a member")
        quotas[code] = amount * percent / HUNDRED
    remaining = amount - sum(quotas.values(), Fraction(0))
    if remaining < 0:
        raise OracleError(f"category {cid}: the fixed shares exceed 100 %")

    free = sorted(member_set - set(quotas))

    # step 6: weights
    weight = {}
    for code in free:
        m = payers[code]["m"]
        if cat["basis"] == "equal":
            weight[code] = Fraction(m)
        else:
            weight[code] = rates.rate(code, f"category {cid} has basis scale") * m
    # A State with a fixed share needs no rate: its quota does not depend on one.

    # bounds, as amounts
    def bound_amount(key):
        spec = cat["bounds"].get(key)
        if spec is None:
            return None
        base = budget if spec["of"] == "total" else amount
        return base * spec["percent"] / HUNDRED

    lower = bound_amount("min")
    upper = bound_amount("max")
    ldc_upper = bound_amount("ldc_max")

    def min_of(code):
        # READING: a payer with m = 0 "pays nothing", so no minimum applies to it.
        if payers[code]["m"] == 0:
            return None
        return lower

    def max_of(code):
        candidates = [b for b in (upper, ldc_upper if payers[code]["ldc"] else None) if b is not None]
        return min(candidates) if candidates else None

    for code in free:
        lo, hi = min_of(code), max_of(code)
        if lo is not None and hi is not None and lo > hi:
            raise OracleError(f"category {cid}: infeasible: the minimum of {code} is above its maximum")

    if cat["bounds"] and free:
        minimums = sum((min_of(c) or Fraction(0) for c in free), Fraction(0))
        if minimums > remaining:
            raise OracleError(f"category {cid}: infeasible: the minimums exceed the category")
        maximums = [max_of(c) for c in free]
        if all(b is not None for b in maximums) and sum(maximums, Fraction(0)) < remaining:
            raise OracleError(f"category {cid}: infeasible: the maximums fall short of the category")

    # step 8, computed differently from the engine on purpose: instead of the
    # round-by-round loop, find directly the one multiplier L such that
    # sum(clip(L * weight, min, max)) == remaining ("water filling"). The function
    # L -> sum(clip(...)) is continuous, non-decreasing and piecewise linear, with
    # breakpoints at min/weight and max/weight; search the breakpoints, then solve
    # the linear piece exactly. Every State not at a bound then pays L * weight, which
    # is the allocation docs/policy.md step 8 says the iteration ends at.
    def clip(code, lam):
        q = lam * weight[code]
        lo, hi = min_of(code), max_of(code)
        if lo is not None and q < lo:
            return lo
        if hi is not None and q > hi:
            return hi
        return q

    def total_at(lam):
        return sum((clip(c, lam) for c in free), Fraction(0))

    if free:
        if not cat["bounds"]:
            total_weight = sum((weight[c] for c in free), Fraction(0))
            if total_weight == 0:
                if remaining != 0:
                    raise OracleError(f"category {cid}: the free members have no weight")
                lam = Fraction(0)
            else:
                lam = remaining / total_weight
        else:
            points = {Fraction(0)}
            for c in free:
                if weight[c] > 0:
                    for b in (min_of(c), max_of(c)):
                        if b is not None:
                            points.add(b / weight[c])
            points = sorted(points)
            if total_at(points[0]) > remaining:
                raise OracleError(f"category {cid}: infeasible: the minimums exceed the category")
            lam = None
            for lo_pt, hi_pt in zip(points, points[1:]):
                if total_at(hi_pt) >= remaining:
                    # on [lo_pt, hi_pt] the set of clipped States does not change
                    mid = (lo_pt + hi_pt) / 2
                    slope = sum((weight[c] for c in free if clip(c, mid) == mid * weight[c]), Fraction(0))
                    base = total_at(lo_pt)
                    lam = lo_pt if slope == 0 else lo_pt + (remaining - base) / slope
                    break
            if lam is None:
                last = points[-1]
                slope = sum((weight[c] for c in free if max_of(c) is None or weight[c] * last < max_of(c)), Fraction(0))
                if slope == 0:
                    if total_at(last) != remaining:
                        raise OracleError(f"category {cid}: infeasible: every State is fixed and the category is not used up")
                    lam = last
                else:
                    lam = last + (remaining - total_at(last)) / slope
        for c in free:
            quotas[c] = clip(c, lam)
    elif remaining != 0:
        if not member_set:
            raise OracleError(f"category {cid}: amount {format_fraction(remaining)} but no members")
        raise OracleError(f"category {cid}: infeasible: nothing free to share {format_fraction(remaining)}")

    for code, q in quotas.items():
        if q < 0:
            # READING: fixing all violators of a round at once can leave less
            # than nothing for the States still free; a negative quota is
            # treated as infeasible.
            raise OracleError(f"category {cid}: infeasible: negative quota for {code}")
    assert sum(quotas.values(), Fraction(0)) == amount
    return quotas


# ---------------------------------------------------------------------------
# step 9: rounding
# ---------------------------------------------------------------------------

def round_half(x, unit, method):
    """Round x to a multiple of unit; ties away from zero or to the even unit."""
    q = x / unit
    sign = -1 if q < 0 else 1
    q = abs(q)
    whole = q.numerator // q.denominator
    fraction_part = q - whole
    half = Fraction(1, 2)
    if fraction_part > half:
        whole += 1
    elif fraction_part == half:
        if method == "half-up" or whole % 2 == 1:
            whole += 1
    return sign * whole * unit


def round_category(quotas, amount, unit, method, rates):
    if method in ("half-up", "half-even"):
        return {code: round_half(q, unit, method) for code, q in quotas.items()}
    floored = {code: floor_to_units(q, unit) for code, q in quotas.items()}
    missing = count_units(amount, unit, "category amount") - sum(floored.values())
    remainders = {code: quotas[code] - floored[code] * unit for code in quotas}

    def rank(code):
        # Tie-break of step 9: larger remainder, larger exact quota, larger
        # rate (no rate = lowest), ISO3 ascending.
        r = rates.rate_for_tie_break(code)
        no_rate = r is None
        return (-remainders[code], -quotas[code], no_rate, -(r or 0), code)

    ranking = sorted(quotas, key=rank)
    assert 0 <= missing <= len(ranking)
    for code in ranking[:missing]:
        floored[code] += 1
    return {code: n * unit for code, n in floored.items()}


# ---------------------------------------------------------------------------
# the whole pipeline
# ---------------------------------------------------------------------------

def apportion(books, policy, year, budget_text):
    unit = policy["unit"]
    budget = number(budget_text, "--budget")
    count_units(budget, unit, "--budget")

    payers = find_payers(books, year)
    for info in payers.values():
        info["m"] = 12 if policy["pro_rata"] == "none" else info["m_actual"]
    # docs/policy.md step 2: a payer bound on the first day of no month pays nothing
    # and has no line.
    payers = {k: v for k, v in payers.items() if v["m"] > 0}
    rates = Rates(books, policy, year)

    amounts = category_amounts(policy, budget)
    members = all_members(policy, payers, rates)

    result_lines = []  # (iso3, category index, category id, amount)
    for cat in policy["categories"]:
        cid = cat["id"]
        if cat["basis"] == "voluntary":
            continue
        if cat["basis"] == "fixed":
            rounded = dict(cat["amounts"])
        else:
            quotas = exact_quotas(cat, amounts[cid], members[cid], payers, rates, budget)
            rounded = round_category(quotas, amounts[cid], unit, policy["method"], rates)
        for code, value in rounded.items():
            result_lines.append((code, cat["index"], cid, value))

    result_lines.sort(key=lambda line: (line[0], line[1]))
    decimals = policy["decimals"]
    return {
        "year": year,
        "total": format_amount(budget, decimals),
        "categories": [
            {"id": cat["id"], "amount": format_amount(amounts[cat["id"]], decimals)}
            for cat in policy["categories"]
        ],
        "lines": [
            {"iso3": code, "category": cid, "amount": format_amount(value, decimals)}
            for code, _, cid, value in result_lines
        ],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="finproc apportionment oracle")
    parser.add_argument("--books", required=True, help="directory with scale.csv, parties.csv, ldc.csv")
    parser.add_argument("--policy", required=True, help="policy YAML file")
    parser.add_argument("--year", required=True, help="year YYYY")
    parser.add_argument("--budget", required=True, help="adopted budget, e.g. 618250.00")
    args = parser.parse_args(argv)
    try:
        year = year_number(args.year, "--year")
        books = Books(args.books)
        policy = load_policy(args.policy)
        result = apportion(books, policy, year, args.budget)
    except OracleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
