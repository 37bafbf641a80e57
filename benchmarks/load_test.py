"""Load test: a live ``hardtech serve`` (2 uvicorn workers) on 127.0.0.1, 20 concurrent clients
for 30 s on a mix of ``GET /api/v1/editions/{id}/scores`` and offline ``POST /api/v1/ask``:
the ``/ask`` figures beside ``/scores`` (the reference: a cached read) from one run.

    python benchmarks/load_test.py [--workers 2] [--clients 20] [--duration 30] [--ask-share 0.2]
                                   [--scenarios cold,warm] [--max-requests 200000]
                                   [--client raw|httpx] [--url http://127.0.0.1:PORT  (a running server)]

Two scenarios, run one after the other against the same server and reported separately:

* ``cold``: every ``/ask`` is a question asked for the first time (generated from the editions'
  entities and dimensions, never repeated, never used in the warm-up), so the service's
  answer cache never hits and every answer is computed.
* ``warm``: the six fixed questions of the original test, asked in the warm-up first, so
  answers come from each worker's cache of offline answers.

Closed loop: each client sends its next request as soon as the previous one is answered. The
run is bounded: ``--duration`` of measurement, at most ``--max-requests`` requests, a 30 s
timeout per request and a hard deadline on the whole run; it only targets 127.0.0.1.

Before measuring, it waits until every worker has finished its warm-up (the server's processes
go idle), then sends warm-up traffic over every connection. The load generator runs in its
own process (the server is a subprocess); by default it is a minimal keep-alive HTTP/1.1 client
on asyncio (``--client raw``), several times cheaper per request than httpx, because it shares
the machine's cores with the server. Its CPU use and the server's are measured and reported.

Reports throughput, p50/p95/p99 latency and errors per endpoint and writes
``benchmarks/results/load.json``. Goals (issue 10): zero errors; offline /ask p95 < 150 ms with 20 clients on 2 workers.
The rate limiter stays on (a limit far above the load) so its SQLite cost is measured.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover
    _loads = json.loads

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load.json"

EDITIONS = ["hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3"]
QUESTIONS = [  # the warm scenario's questions (the original test's)
    "why is Shenzhen weak on innovation base?",
    "2020年第二梯队有哪些城市？",
    "2019年深圳的综合得分和排名是多少？",
    "Compare Beijing, Shanghai and Shenzhen in 2020",
    "2019年创新环境排名前五的城市",
    "What tier is Xi'an in 2020?",
]
GOALS = {"scores_p95_ms": 50.0, "ask_p95_ms": 150.0, "errors": 0}
REQUEST_TIMEOUT = 30.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")

DIMS_2019 = [("创新基础", "innovation base"), ("创新投入", "innovation input"), ("创新产出", "innovation output"),
             ("创新环境", "innovation environment")]
DIMS_2020 = [("科研人才", "research talent"), ("硬科技投资", "hard-tech investment"), ("高技术产出", "high-tech output"),
             ("硬科技企业", "hard-tech enterprises"), ("创新环境", "innovation environment")]


# ----------------------------------------------------------------------------- questions
def distinct_questions(cities19: list[tuple[str, str]], cities20: list[tuple[str, str]], seed: int) -> list[str]:
    """Thousands of different, answerable questions built from the editions' real entities.

    Each kind of question is shuffled on its own and the kinds are interleaved, so any prefix of
    the pool has the same mix (scores, ranks, dimensions, why-weak with retrieval, tiers, comparisons).
    """
    rng = random.Random(seed)
    kinds: dict[str, list[str]] = {k: [] for k in ("score", "dimension", "why", "tier", "compare2", "compare3")}
    for zh, en in cities19:
        kinds["score"] += [f"2019年{zh}的综合得分和排名是多少？", f"What is {en}'s rank in 2019?",
                           f"2019年{zh}综合排名第几？", f"How did {en} rank in 2019?"]
        kinds["tier"] += [f"{zh}在2019年属于第几梯队？", f"What tier is {en} in 2019?"]
        for dzh, den in DIMS_2019:
            kinds["dimension"] += [f"{zh}2019年{dzh}得分是多少？", f"What is {en}'s {den} score in 2019?"]
            kinds["why"] += [f"why is {en} weak on {den}?", f"为什么{zh}2019年{dzh}较弱？"]
    for zh, en in cities20:
        kinds["tier"] += [f"{zh}在2020年属于第几梯队？", f"What tier is {en} in 2020?", f"Which tier was {en} in 2020?"]
        kinds["score"] += [f"{zh}2020年排名第几？", f"What is {en}'s composite score in 2020?", f"How did {en} rank in 2020?"]
        for dzh, den in DIMS_2020:
            kinds["dimension"] += [f"{zh}2020年{dzh}排名第几？", f"What is {en}'s {den} score in 2020?"]
            kinds["why"] += [f"why is {en} weak on {den} in 2020?"]
    for cities, year in ((cities19, 2019), (cities20, 2020)):
        for i, (a, a_en) in enumerate(cities):
            for j, (b, b_en) in enumerate(cities[i + 1:], i + 1):
                kinds["compare2"] += [f"Compare {a_en} and {b_en} in {year}", f"{year}年{a}和{b}相比哪个更强？"]
                for c, c_en in cities[j + 1:j + 3]:
                    kinds["compare3"].append(f"Compare {a_en}, {b_en} and {c_en} in {year}")
    pools = []
    for qs in kinds.values():
        qs = list(dict.fromkeys(qs))
        rng.shuffle(qs)
        pools.append(qs)
    out, seen = [], set()
    for i in range(max(len(q) for q in pools)):
        for qs in pools:
            if i < len(qs) and qs[i] not in seen:
                seen.add(qs[i])
                out.append(qs[i])
    return out


# ----------------------------------------------------------------------------- clients
class RawClient:
    """One keep-alive HTTP/1.1 connection; requests are sent one at a time (a closed-loop client)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode("ascii") + b"\r\n" + (body or b""))
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            if "content-length" in headers:
                payload = await self.reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                parts = []
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    parts.append(await self.reader.readexactly(size + 2))
                    if size == 0:
                        break
                payload = b"".join(p[:-2] for p in parts)
            else:
                payload = await self.reader.read()
                self.close()
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, payload
        except BaseException:
            self.close()  # never reuse a connection in an unknown state
            raise


class HttpxClient:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        r = await self.client.request(method, path, content=body,
                                      headers={"Content-Type": "application/json"} if body is not None else None)
        return r.status_code, r.content

    def close(self) -> None:
        pass


# ----------------------------------------------------------------------------- server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc."""
    tck = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tck
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, ValueError, IndexError):
            continue
    return total


def wait_until_idle(pid: int, deadline: float, idle_share: float = 0.15, window: float = 1.0) -> float:
    """Wait until the server's processes use less than ``idle_share`` of one core (workers warmed up)."""
    t0 = time.time()
    last = tree_cpu_seconds(pid)
    while time.time() < deadline:
        time.sleep(window)
        now = tree_cpu_seconds(pid)
        if now - last < idle_share * window:
            break
        last = now
    return round(time.time() - t0, 1)


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {"HARDTECH_RATE_LIMIT": "10000000", **os.environ}
    env.pop("HARDTECH_API_KEYS", None)
    env.pop("HARDTECH_LLM", None)  # the goal is about offline answers
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers), "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not become ready in 300 s")


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return round((v[lo] + (v[hi] - v[lo]) * (k - lo)) * 1000, 2)


# ----------------------------------------------------------------------------- one scenario
async def run_scenario(base: str, kind: str, clients: int, duration: float, ask_share: float, max_requests: int,
                       seed: int, client_kind: str, server_pid: int | None, cold_pool: list[str]) -> dict:
    u = urlsplit(base)
    rng = random.Random(seed)
    lat: dict[str, list[float]] = {"scores": [], "ask": []}
    slow_asks: list[tuple[float, str]] = []
    errors: dict[str, list[str]] = {"scores": [], "ask": []}
    issued = 0
    scores_paths = [f"/api/v1/editions/{e}/scores" for e in EDITIONS]
    # cold: a question is never asked twice (the pool is consumed); the warm-up uses other questions
    warm_up_q = QUESTIONS if kind == "warm" else cold_pool[:clients]
    measured_q = iter(cold_pool[clients:]) if kind == "cold" else None
    exhausted = False

    hx = None
    if client_kind == "httpx":
        hx = httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT,
                               limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients))
        conns = [HttpxClient(hx) for _ in range(clients)]
    else:
        conns = [RawClient(u.hostname, u.port) for _ in range(clients)]

    def check(kind_: str, status: int, payload: bytes) -> str | None:
        if status != 200:
            return f"HTTP {status}: {payload[:120].decode('utf-8', 'replace')}"
        data = _loads(payload)
        if kind_ == "ask" and data.get("mode") != "offline":
            return f"mode {data.get('mode')!r}"
        if kind_ == "scores" and not data.get("entities"):
            return "no entities"
        return None

    try:
        # Warm-up over every connection: each worker has answered the warm scenario's questions
        # (so its cache holds them) and served the score tables; nothing of the cold pool it measures.
        async def warm(i: int, c) -> None:
            for j, q in enumerate(warm_up_q if kind == "warm" else [warm_up_q[i % len(warm_up_q)]]):
                await asyncio.wait_for(c.request("POST", "/api/v1/ask", json.dumps({"question": q}).encode()), 120)
            for p in scores_paths:
                await asyncio.wait_for(c.request("GET", p), 120)

        await asyncio.gather(*[warm(i, c) for i, c in enumerate(conns)])

        cpu0, srv0 = time.process_time(), tree_cpu_seconds(server_pid) if server_pid else None
        t0 = time.perf_counter()
        stop_at = t0 + duration

        async def worker(c) -> None:
            nonlocal issued, exhausted
            while time.perf_counter() < stop_at and issued < max_requests:
                issued += 1
                k = "ask" if rng.random() < ask_share else "scores"
                if k == "ask":
                    if measured_q is not None:
                        q = next(measured_q, None)
                        if q is None:  # never repeat a question in the cold scenario: stop instead
                            exhausted = True
                            return
                    else:
                        q = rng.choice(QUESTIONS)
                    req = ("POST", "/api/v1/ask", json.dumps({"question": q}).encode())
                else:
                    req = ("GET", rng.choice(scores_paths), None)
                start = time.perf_counter()
                try:
                    status, payload = await asyncio.wait_for(c.request(*req), REQUEST_TIMEOUT)
                    elapsed = time.perf_counter() - start
                    err = check(k, status, payload)
                except Exception as exc:  # noqa: BLE001
                    errors[k].append(f"{type(exc).__name__}: {exc}"[:160])
                    continue
                if err:
                    errors[k].append(err)
                    continue
                lat[k].append(elapsed)
                if k == "ask":
                    slow_asks.append((elapsed, q))

        await asyncio.wait_for(asyncio.gather(*[worker(c) for c in conns]), duration + REQUEST_TIMEOUT + 10)
        elapsed = time.perf_counter() - t0
        client_cpu = time.process_time() - cpu0
        server_cpu = tree_cpu_seconds(server_pid) - srv0 if server_pid else None
    finally:
        for c in conns:
            c.close()
        if hx is not None:
            await hx.aclose()

    def summary(k: str) -> dict:
        v = lat[k]
        return {"requests": len(v) + len(errors[k]), "ok": len(v), "errors": len(errors[k]),
                "throughput_rps": round(len(v) / elapsed, 1),
                "p50_ms": pct(v, 0.50), "p95_ms": pct(v, 0.95), "p99_ms": pct(v, 0.99),
                "mean_ms": round(statistics.fmean(v) * 1000, 2) if v else None,
                "max_ms": round(max(v) * 1000, 2) if v else None,
                "error_samples": sorted(set(errors[k]))[:5]}

    total_ok = len(lat["scores"]) + len(lat["ask"])
    all_lat = lat["scores"] + lat["ask"]
    n_total = total_ok + len(errors["scores"]) + len(errors["ask"])
    res = {
        "elapsed_s": round(elapsed, 2),
        "total": {"requests": n_total, "ok": total_ok, "errors": len(errors["scores"]) + len(errors["ask"]),
                  "throughput_rps": round(total_ok / elapsed, 1),
                  "p50_ms": pct(all_lat, 0.5), "p95_ms": pct(all_lat, 0.95), "p99_ms": pct(all_lat, 0.99),
                  "mean_ms": round(statistics.fmean(all_lat) * 1000, 2) if all_lat else None},
        "scores": summary("scores"), "ask": summary("ask"),
        "cpu": {
            "client_s": round(client_cpu, 2), "client_cores": round(client_cpu / elapsed, 2),
            "client_ms_per_request": round(client_cpu / max(1, n_total) * 1000, 3),
            "server_s": round(server_cpu, 2) if server_cpu is not None else None,
            "server_cores": round(server_cpu / elapsed, 2) if server_cpu is not None else None,
            "server_ms_per_request": round(server_cpu / max(1, n_total) * 1000, 3) if server_cpu is not None else None,
        },
        # Little's law for a closed loop: mean latency = clients / throughput, whatever the server does.
        "littles_law_mean_ms": round(clients / (total_ok / elapsed) * 1000, 1) if total_ok else None,
    }
    res["slowest_asks"] = [{"ms": round(t * 1000, 1), "question": q} for t, q in sorted(slow_asks, reverse=True)[:5]]
    if kind == "cold":
        res["cold_questions_used"] = len(lat["ask"]) + len(errors["ask"])
        res["cold_pool_exhausted"] = exhausted
    return res


def goals_met(r: dict) -> dict:
    return {
        "errors": r["total"]["errors"] == 0,
        "scores_p95": r["scores"]["p95_ms"] is not None and r["scores"]["p95_ms"] < GOALS["scores_p95_ms"],
        "ask_p95": r["ask"]["p95_ms"] is not None and r["ask"]["p95_ms"] < GOALS["ask_p95_ms"],
    }


def load_cold_pool(base: str, seed: int) -> list[str]:
    with httpx.Client(base_url=base, timeout=60) as c:
        def cities(e: str) -> list[tuple[str, str]]:
            r = c.get(f"/api/v1/editions/{e}/scores")
            r.raise_for_status()
            return [(x["name"], x.get("name_en") or x["name"]) for x in r.json()["entities"]]

        return distinct_questions(cities("hardtech-2019"), cities("hardtech-2020"), seed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--ask-share", type=float, default=0.2)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--scenarios", default="cold,warm", help="comma-separated: cold, warm")
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw", help="load generator HTTP client")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--url", help="test a server that is already running on 127.0.0.1 instead of starting one")
    ap.add_argument("--server-pid", type=int, help="with --url: the server's pid, to measure its CPU")
    ap.add_argument("--output", type=Path, default=RESULTS)
    args = ap.parse_args()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if not scenarios or any(s not in ("cold", "warm") for s in scenarios):
        ap.error("--scenarios takes cold and/or warm")
    if not (0 < args.duration <= 600 and 1 <= args.clients <= 1000 and 1 <= args.max_requests <= 10_000_000):
        ap.error("duration must be in (0, 600] s, clients in [1, 1000], max-requests in [1, 1e7]")
    if args.url and urlsplit(args.url).hostname not in LOOPBACK:
        ap.error("--url must point at this machine (127.0.0.1)")

    try:  # the load generator is a client of the same cores: use the cheaper event loop when available
        import uvloop

        uvloop.install()
    except Exception:  # noqa: BLE001
        pass

    proc = None
    base, server_pid = args.url, args.server_pid
    results: dict[str, dict] = {}
    try:
        if not base:
            proc, base = start_server(args.workers)
            server_pid = proc.pid
        waited = wait_until_idle(server_pid, time.time() + 180) if server_pid else None
        pool = load_cold_pool(base, args.seed) if "cold" in scenarios else []
        for i, kind in enumerate(scenarios):
            results[kind] = asyncio.run(run_scenario(base, kind, args.clients, args.duration, args.ask_share,
                                                     args.max_requests, args.seed + i, args.client, server_pid, pool))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()

    res: dict = {"scenarios": {f"cache_{k}": v for k, v in results.items()}}
    res["config"] = {"workers": args.workers if not args.url else None, "clients": args.clients, "duration_s": args.duration,
                     "ask_share": args.ask_share, "max_requests": args.max_requests, "seed": args.seed,
                     "request_timeout_s": REQUEST_TIMEOUT, "client": args.client, "closed_loop": True,
                     "endpoints": ["GET /api/v1/editions/{id}/scores", "POST /api/v1/ask (offline)"],
                     "scenarios": {"cache_cold": "every /ask question distinct and new to the server (answer cache misses)",
                                   "cache_warm": "the 6 fixed questions, already asked in the warm-up (answer cache hits)"},
                     "warm_up": f"waited {waited} s for the workers' own warm-up to finish, then warm-up requests "
                                "over every connection",
                     "rate_limiter": "on (SQLite), limit far above the load"}
    res["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                      "note": "client and server share the machine; the client is a separate process"}
    res["goals"] = GOALS
    res["goals_met"] = {k: goals_met(v) for k, v in res["scenarios"].items()}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.output)
    for name, r in res["scenarios"].items():
        print(f"== {name}: client {r['cpu']['client_cores']} cores, server {r['cpu']['server_cores']} cores, "
              f"Little's law mean {r['littles_law_mean_ms']} ms")
        for kind in ("scores", "ask", "total"):
            x = r[kind]
            print(f"  {kind:7s} n={x['requests']:6d} err={x['errors']:3d} {x['throughput_rps']:7.1f} req/s  "
                  f"p50={x['p50_ms']} ms  p95={x['p95_ms']} ms  p99={x['p99_ms']} ms")
        print(f"  goals met: {res['goals_met'][name]}")
    print(f"-> {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0 if all(all(g.values()) for g in res["goals_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
