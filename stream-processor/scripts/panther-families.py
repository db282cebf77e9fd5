#!/usr/bin/env python3
"""Recall and MEDIUM+ false positives of a panther-eval run, per rule family.

Usage: panther-families.py OUTDIR   (the directory panther-eval.sh wrote: index.json, alerts.jsonl)
Recall per Panther rule family (the corpus's labels, e.g. AWS.IAM): positive cases with any alert of ours on their event.
False positives per Trailhound rule family (TH-IAM, TH-BL, ...): negative cases with a MEDIUM+ alert of that family.
"""
import collections
import json
import sys

out = sys.argv[1]
cases = json.load(open(f"{out}/index.json"))["cases"]
alerts = collections.defaultdict(list)
for line in open(f"{out}/alerts.jsonl"):
    a = json.loads(line)
    for e in a.get("eventIds", []):
        alerts[e].append(a)
medium = {"MEDIUM", "HIGH", "CRITICAL"}
recall = collections.defaultdict(lambda: [0, 0])
fp = collections.Counter()
negatives = collections.Counter()
for c in cases:
    family = ".".join(c["rule"].split(".")[:2])
    fired = alerts.get(c["eventId"], [])
    if c["expected"]:
        recall[family][1] += 1
        recall[family][0] += bool(fired)
    else:
        negatives[family] += 1
        for fam in {"-".join(a["ruleId"].split("-")[:2]) for a in fired if a["severity"] in medium}:
            fp[fam] += 1
print("recall per corpus family (positive cases with an alert)")
for fam, (hit, total) in sorted(recall.items()):
    print(f"  {fam:32s} {hit:4d}/{total:<4d} {100.0 * hit / total:6.1f}%")
hit = sum(h for h, _ in recall.values())
total = sum(t for _, t in recall.values())
print(f"  {'all':32s} {hit:4d}/{total:<4d} {100.0 * hit / total:6.1f}%")
print(f"MEDIUM+ false positives per Trailhound rule family (of {sum(negatives.values())} negative cases)")
for fam, n in sorted(fp.items()):
    print(f"  {fam:32s} {n:4d}")
