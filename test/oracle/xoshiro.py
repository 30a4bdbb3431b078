#!/usr/bin/env python3
"""Independent reference for the stress test's random numbers (docs/cashflow.md).

xoshiro128** (Blackman and Vigna, 2018, the reference C code transcribed), its four state
words set by four steps of SplitMix32 from the seed; draws among n outcomes by rejection.

Usage: python3 test/oracle/xoshiro.py SEED COUNT [N]
Prints COUNT outputs (with N: COUNT draws in [0, N)) as a JSON list.
"""
import json
import sys

M = 0xFFFFFFFF


def splitmix32(seed):
    a = seed & M
    while True:
        a = (a + 0x9E3779B9) & M
        z = a
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
        yield (z ^ (z >> 16)) & M


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


class Xoshiro128ss:
    def __init__(self, seed):
        g = splitmix32(seed)
        self.s = [next(g) for _ in range(4)]
        if self.s == [0, 0, 0, 0]:
            self.s[0] = 1

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def below(self, n):
        if n <= 1:
            return 0
        limit = 2**32 - (2**32 % n)
        while True:
            r = self.next()
            if r < limit:
                return r % n


if __name__ == "__main__":
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    g = Xoshiro128ss(seed)
    if len(sys.argv) > 3:
        n = int(sys.argv[3])
        print(json.dumps([g.below(n) for _ in range(count)]))
    else:
        print(json.dumps([g.next() for _ in range(count)]))
