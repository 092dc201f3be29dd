#!/usr/bin/env python3
"""双随机、一公开 抽查结果独立验证程序 / Stand-alone verifier of a published inspection draw.

Needs only Python 3.8+ and its standard library. It deliberately re-implements the draw
instead of importing the platform, so anyone can read this one file and check a result.
Protocol: socialorg-draw/1 (the platform's docs/draw-protocol.md says the same in prose).

用法 / Usage
    python verify_draw.py --dir 下载目录
    python verify_draw.py --draw draw.json --population population.txt --roster roster.txt \\
        [--conflicts conflicts.tsv] [--strata strata.tsv] [--nonce HEX] [--public-value TEXT] \\
        [--expected-population-hash HEX] [--expected-roster-hash HEX] [--expected-nonce-hash HEX]

    Files not named explicitly are looked up in --dir (default: the current directory)
    under the names below. The --expected-* options take the values you noted from the
    public page when the draw was created (before the nonce was revealed); without them
    the values in draw.json are used, which proves consistency but not that nothing was
    changed since creation. Prints every difference and exits 1, or prints OK and exits 0;
    exit 2 means the input could not be read.

Published files (all UTF-8; "\\n" line ends; no newline after the last line)
    population.txt  the USCCs of the population, sorted ascending, one per line.
                    population_sha256 = SHA-256 of the file's exact bytes.
    roster.txt      the inspector codes, sorted by Unicode code point, one per line.
    conflicts.tsv   declared conflicts, "USCC<TAB>inspector code" per line, sorted by
                    (USCC, inspector). May be empty (then it may also be absent).
    strata.tsv      only for a stratified draw: "stratum<TAB>USCC" per line, sorted by
                    (stratum, USCC); every population member appears exactly once.
    draw.json       {
                      "protocol": "socialorg-draw/1",
                      "draw": {"kind": ..., "year": ..., "round": ...},  (informational)
                      "ratio": "0.10",                  decimal text
                      "population_size": N, "sample_size": k,
                      "population_sha256": hex, "roster_size": R, "roster_sha256": hex,
                      "conflicts_sha256": hex, "strata_sha256": hex or null,
                      "nonce_sha256": hex, "public_value_source": text,
                      "inspectors_per_organization": 2, "candidate_window": 8,
                      -- added when the draw is executed: --
                      "nonce": hex (32 bytes), "public_value": text, "seed": hex,
                      "strata_allocation": {stratum: count} or null,
                      "selection": [{"uscc": ..., "stratum": ... (stratified only),
                                     "inspectors": [code, code]}, ...]
                                   in ascending rank order
                    }

The algorithm
    k     = floor(N * ratio + 1/2) exactly, at least 1 when N > 0
    nonce_sha256 = SHA-256("socialorg-draw/1:commit:" || nonce)   (the commitment)
    seed  = SHA-256(nonce || public_value as UTF-8)
    rank  = HMAC-SHA256(key=seed, msg=USCC as ASCII); the k smallest (ties by USCC) are
            drawn; strata get k split by largest remainder (equal remainders: larger
            stratum first, then stratum name) and the same rule applies inside each.
    inspectors: organizations are served in ascending rank order. Each inspector has a
            load and a queue position; the queue starts as the roster in order. For
            organization u take, in order of (load, queue position), the first
            candidate_window inspectors without a conflict with u; assign the
            inspectors_per_organization of them with the smallest (load,
            HMAC-SHA256(seed, "inspector:" + u + ":" + code as UTF-8), code), listed in
            that order; each gets load + 1 and goes to the end of the queue, in that order.
"""

import argparse
import bisect
import datetime
import hashlib
import hmac
import json
import os
import sys
from decimal import Decimal, InvalidOperation

PROTOCOL = "socialorg-draw/1"
# The commitment is SHA-256(COMMIT_PREFIX + nonce), never SHA-256(nonce): the latter is the
# seed of a draw with an empty public value and would reveal its selection at creation.
COMMIT_PREFIX = b"socialorg-draw/1:commit:"
SHOW = 20  # differences listed per check before summarizing the rest


class InputError(Exception):
    pass


class Report:
    def __init__(self):
        self.problems = 0

    def ok(self, text):
        print("[通过 OK] " + text)

    def bad(self, text, details=()):
        self.problems += 1
        print("[不符 MISMATCH] " + text)
        details = list(details)
        for line in details[:SHOW]:
            print("    " + line)
        if len(details) > SHOW:
            rest = len(details) - SHOW
            print(f"    …… 另有 {rest} 处 / {rest} more")

    def check(self, condition, text, details=()):
        if condition:
            self.ok(text)
        else:
            self.bad(text, details)
        return condition


def _instant(text: str) -> datetime.datetime:
    """An ISO 8601 time as an aware instant (naive times are read as Beijing time)."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    return moment


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def read_bytes(path, required=True):
    if not os.path.exists(path):
        if required:
            raise InputError(f"找不到文件 / file not found: {path}")
        return None
    with open(path, "rb") as f:
        return f.read()


def lines_of(data, path):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} 不是 UTF-8 文本 / not UTF-8: {exc}") from None
    return text.split("\n") if text else []


def check_canonical(report, lines, name):
    """The hash only identifies the list if the file is in its one canonical form."""
    details = []
    for n, line in enumerate(lines, 1):
        if line == "" or line != line.strip() or "\r" in line:
            details.append(f"第 {n} 行为空或含多余空白 / line {n} empty or padded")
    for n in range(1, len(lines)):
        if not lines[n - 1] < lines[n]:
            details.append(
                f"第 {n + 1} 行未按升序排列或重复 / line {n + 1} out of order or repeated: {lines[n]!r}"
            )
    report.check(not details, f"{name} 格式规范（升序、无重复、无空行）/ canonical", details)


def hash_check(report, data, expected, name):
    actual = sha256_hex(data)
    if expected is None:
        report.bad(f"{name} 没有可对照的公布哈希 / no published hash")
        return
    details = [f"公布 published: {expected}", f"计算 computed:  {actual}"]
    if data.endswith(b"\n") and sha256_hex(data[:-1]) == expected.lower():
        details.append("文件末尾多了一个换行符 / the file has a trailing newline")
    report.check(actual == expected.lower(), f"{name} 的 SHA-256 与公布值一致", details)


def sample_size(n, ratio):
    if n == 0:
        return 0
    num, den = ratio.as_integer_ratio()
    return max(1, (2 * n * num + den) // (2 * den))


def rank(seed, uscc):
    return hmac.new(seed, uscc.encode("ascii"), hashlib.sha256).digest()


def inspector_rank(seed, uscc, inspector):
    msg = ("inspector:" + uscc + ":" + inspector).encode("utf-8")
    return hmac.new(seed, msg, hashlib.sha256).digest()


def allocate(sizes, k):
    total = sum(sizes.values())
    if total == 0:
        return {s: 0 for s in sizes}
    alloc = {s: k * n // total for s, n in sizes.items()}
    order = sorted(sizes, key=lambda s: (-(k * sizes[s] % total), -sizes[s], s))
    for s in order[: k - sum(alloc.values())]:
        alloc[s] += 1
    return alloc


def select(seed, codes, k):
    ranked = sorted((rank(seed, u), u) for u in codes)
    return [u for _, u in ranked[:k]]


def assign(seed, selected, roster, conflicts, per_org, window):
    # The queue as one sorted list of (load, position, code); moving to the end of the
    # queue means taking a position after every position handed out so far.
    queue = [(0, pos, code) for pos, code in enumerate(roster)]
    next_pos = len(roster)
    result = {}
    for u in selected:
        excluded = conflicts.get(u, set())
        candidates = []
        for entry in queue:
            if entry[2] not in excluded:
                candidates.append(entry)
                if len(candidates) == window:
                    break
        if len(candidates) < per_org:
            raise ValueError(f"组织 {u} 可选检查人员不足 / too few eligible inspectors: {u}")
        best = sorted(candidates, key=lambda e: (e[0], inspector_rank(seed, u, e[2]), e[2]))
        chosen = best[:per_org]
        for entry in chosen:
            queue.remove(entry)
            bisect.insort(queue, (entry[0] + 1, next_pos, entry[2]))
            next_pos += 1
        result[u] = [e[2] for e in chosen]
    return result


def list_diff(published, computed):
    out = []
    pub, com = set(published), set(computed)
    for u in computed:
        if u not in pub:
            out.append(f"应抽中但未公布 / drawn but not published: {u}")
    for u in published:
        if u not in com:
            out.append(f"公布了但不应抽中 / published but not drawn: {u}")
    if not out:
        for n in range(min(len(published), len(computed))):
            if published[n] != computed[n]:
                out.append(
                    f"第 {n + 1} 位 / position {n + 1}: 公布 {published[n]}，计算 {computed[n]}"
                )
    return out


def parse_args(argv):
    p = argparse.ArgumentParser(description="验证公布的双随机抽查结果 / verify a published draw")
    p.add_argument("--dir", default=".", help="公布文件所在目录 / directory of the files")
    p.add_argument("--draw", "--result", dest="draw", help="draw.json")
    p.add_argument("--population", help="population.txt")
    p.add_argument("--roster", help="roster.txt")
    p.add_argument("--conflicts", help="conflicts.tsv")
    p.add_argument("--strata", help="strata.tsv")
    p.add_argument("--nonce", help="公布的随机数（十六进制）/ revealed nonce, hex")
    p.add_argument("--public-value", help="公共随机值 / the public value")
    p.add_argument("--expected-population-hash")
    p.add_argument("--expected-roster-hash")
    p.add_argument("--expected-nonce-hash")
    p.add_argument("--expected-conflicts-hash")
    p.add_argument("--expected-strata-hash")
    return p.parse_args(argv)


def verify(args):
    report = Report()

    def path(given, name):
        return given or os.path.join(args.dir, name)

    draw_path = path(args.draw, "draw.json")
    try:
        doc = json.loads(read_bytes(draw_path).decode("utf-8"))
    except ValueError as exc:
        raise InputError(f"{draw_path} 不是有效的 JSON / invalid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("protocol") != PROTOCOL:
        raise InputError(f"{draw_path} 不是 {PROTOCOL} 格式 / unknown protocol")
    for key in ("ratio", "nonce_sha256", "population_sha256", "roster_sha256", "selection"):
        if key not in doc:
            raise InputError(f"draw.json 缺少字段 / missing field: {key}")

    # 1. The frozen files match what was committed.
    pop_path, roster_path = path(args.population, "population.txt"), path(args.roster, "roster.txt")
    pop_data, roster_data = read_bytes(pop_path), read_bytes(roster_path)
    population = lines_of(pop_data, pop_path)
    roster = lines_of(roster_data, roster_path)
    hash_check(
        report,
        pop_data,
        args.expected_population_hash or doc.get("population_sha256"),
        "抽查总体 population",
    )
    check_canonical(report, population, "抽查总体 population")
    bad_codes = [u for u in population if not u.isascii() or ":" in u or "\t" in u]
    report.check(not bad_codes, "统一社会信用代码均为 ASCII 且不含冒号", bad_codes)
    hash_check(
        report,
        roster_data,
        args.expected_roster_hash or doc.get("roster_sha256"),
        "检查人员名册 roster",
    )
    check_canonical(report, roster, "检查人员名册 roster")

    conflicts_path = path(args.conflicts, "conflicts.tsv")
    conflicts_data = read_bytes(conflicts_path, required=args.conflicts is not None)
    if conflicts_data is None and doc.get("conflicts_sha256") == sha256_hex(b""):
        conflicts_data = b""  # no conflicts declared: the empty file need not be published
    if conflicts_data is None:
        raise InputError(f"找不到回避关系文件 / file not found: {conflicts_path}")
    hash_check(
        report,
        conflicts_data,
        args.expected_conflicts_hash or doc.get("conflicts_sha256"),
        "回避关系 conflicts",
    )
    conflict_lines = lines_of(conflicts_data, conflicts_path)
    check_canonical(report, conflict_lines, "回避关系 conflicts")
    conflicts = {}
    for line in conflict_lines:
        uscc, _, inspector = line.partition("\t")
        conflicts.setdefault(uscc, set()).add(inspector)

    strata = None
    if doc.get("strata_sha256") is not None or args.strata:
        strata_path = path(args.strata, "strata.tsv")
        strata_data = read_bytes(strata_path)
        hash_check(
            report,
            strata_data,
            args.expected_strata_hash or doc.get("strata_sha256"),
            "分层 strata",
        )
        strata_lines = lines_of(strata_data, strata_path)
        check_canonical(report, strata_lines, "分层 strata")
        strata = {}
        member_of = {}
        for line in strata_lines:
            stratum, _, uscc = line.partition("\t")
            strata.setdefault(stratum, []).append(uscc)
            member_of.setdefault(uscc, []).append(stratum)
        odd = [u for u in population if len(member_of.get(u, ())) != 1]
        odd += [
            f"{u}（不在总体中 / not in population）" for u in member_of if u not in set(population)
        ]
        report.check(not odd, "每家组织恰好属于一个分层 / each organization in one stratum", odd)

    # 2. Nonce, seed and sample size.
    nonce_hex = args.nonce or doc.get("nonce")
    if not nonce_hex:
        raise InputError("抽查尚未执行，没有公布随机数 / the draw has no revealed nonce yet")
    try:
        nonce = bytes.fromhex(nonce_hex)
    except ValueError:
        raise InputError("随机数不是十六进制 / nonce is not hex") from None
    expected_nonce_hash = (args.expected_nonce_hash or doc["nonce_sha256"]).lower()
    source = (doc.get("public_value_source") or "").strip()
    known_at = (doc.get("public_value_known_at") or "").strip()
    report.check(
        bool(source) == bool(known_at),
        "公开随机值的来源与公布时间一并声明 / source and time of the public value declared together (D17)",
        [f"来源 source: {source!r}", f"时间 known at: {known_at!r}"],
    )
    commitment_data = COMMIT_PREFIX + nonce
    if source and known_at:
        commitment_data += b"\x1f" + f"{source}\n{known_at}".encode()
    computed_nonce_hash = sha256_hex(commitment_data)
    report.check(
        computed_nonce_hash == expected_nonce_hash,
        "随机数承诺值与创建时公布的值一致（含公开随机值声明） / "
        "SHA-256(commit prefix + nonce [+ declaration]) matches the commitment",
        [
            f"公布 published: {expected_nonce_hash}",
            f"计算 computed:  {computed_nonce_hash}",
        ],
    )
    report.check(len(nonce) == 32, "随机数为 32 字节 / nonce is 32 bytes")
    public_value = (
        args.public_value if args.public_value is not None else doc.get("public_value", "")
    )
    report.check(
        not public_value or bool(source),
        "只使用创建时声明的公开随机值 / a public value only if one was declared at creation (D17)",
        [f"公开随机值 public value: {public_value!r}"],
    )
    executed_at = (doc.get("draw") or {}).get("executed_at") or ""
    if source and known_at and executed_at:
        report.check(
            _instant(executed_at) >= _instant(known_at),
            "执行时间不早于公开随机值公布时间 / executed after the public value was known (D17)",
            [f"公布时间 known at: {known_at}", f"执行时间 executed at: {executed_at}"],
        )
    seed = hashlib.sha256(nonce + public_value.encode("utf-8")).digest()
    if doc.get("seed") is not None:
        report.check(
            doc["seed"].lower() == seed.hex(),
            "种子 = SHA-256(随机数 ‖ 公共随机值) / seed matches",
            ["公布 published: {}".format(doc["seed"]), f"计算 computed:  {seed.hex()}"],
        )
    try:
        ratio = Decimal(doc["ratio"])
    except (InvalidOperation, TypeError):
        raise InputError("抽查比例无效 / invalid ratio: {!r}".format(doc["ratio"])) from None
    if not (ratio.is_finite() and 0 < ratio <= 1):
        raise InputError(f"抽查比例应在 (0, 1] 之间 / ratio out of range: {ratio}")
    n = len(population)
    k = sample_size(n, ratio)
    report.check(
        doc.get("population_size") == n,
        f"总体数量 N = {n} / population size",
        ["公布 published: {}".format(doc.get("population_size"))],
    )
    report.check(
        doc.get("sample_size") == k,
        f"抽取数量 k = floor({n} × {ratio} + 1/2) = {k} / sample size",
        ["公布 published: {}".format(doc.get("sample_size"))],
    )

    # 3. Selection.
    entries = doc["selection"]
    published = [e.get("uscc") for e in entries]
    if strata is None:
        computed = select(seed, population, k)
    else:
        allocation = allocate({s: len(us) for s, us in strata.items()}, k)
        published_alloc = doc.get("strata_allocation") or {}
        report.check(
            published_alloc == allocation,
            "分层分配（最大余数法）/ largest-remainder allocation",
            [
                f"公布 published: {json.dumps(published_alloc, ensure_ascii=False)}",
                f"计算 computed:  {json.dumps(allocation, ensure_ascii=False)}",
            ],
        )
        stratum_of = {}
        for s in sorted(strata):
            for u in select(seed, strata[s], allocation[s]):
                stratum_of[u] = s
        computed = sorted(stratum_of, key=lambda u: (rank(seed, u), u))
        wrong = [
            "{}: 公布 {}，计算 {}".format(
                e.get("uscc"), e.get("stratum"), stratum_of[e.get("uscc")]
            )
            for e in entries
            if e.get("uscc") in stratum_of and e.get("stratum") != stratum_of[e.get("uscc")]
        ]
        report.check(not wrong, "抽中组织的分层 / strata of the drawn organizations", wrong)
    report.check(
        published == computed,
        f"抽中的 {len(computed)} 家组织及其顺序 / selected organizations and order",
        list_diff(published, computed),
    )

    # 4. Inspectors.
    per_org = doc.get("inspectors_per_organization", 2)
    window = doc.get("candidate_window", 8)
    conflicted = []
    for e in entries:
        for i in e.get("inspectors", []):
            if i in conflicts.get(e.get("uscc"), ()):
                conflicted.append("{} ← {}".format(e.get("uscc"), i))
    report.check(
        not conflicted, "没有指派存在回避关系的检查人员 / no conflicted inspector", conflicted
    )
    try:
        assignment = assign(seed, computed, roster, conflicts, per_org, window)
    except ValueError as exc:
        report.bad(str(exc))
        return report
    published_assignment = {e.get("uscc"): e.get("inspectors") for e in entries}
    wrong = [
        f"{u}: 公布 {published_assignment.get(u)}，计算 {assignment[u]}"
        for u in computed
        if published_assignment.get(u) != assignment[u]
    ]
    report.check(
        not wrong,
        f"检查人员指派（每家 {per_org} 名，候选窗口 {window}）/ inspector assignment",
        wrong,
    )
    return report


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        report = verify(args)
    except InputError as exc:
        print(f"无法验证 / cannot verify: {exc}")
        return 2
    if report.problems:
        print(f"FAILED：{report.problems} 项不一致 / {report.problems} check(s) failed")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
