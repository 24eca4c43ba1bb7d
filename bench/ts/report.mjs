#!/usr/bin/env node
// Turns the result files of one compare-ts.sh run into the Markdown tables of docs/performance.md.
//
// Usage: node report.mjs <results directory>
// Reads (each optional, a missing one leaves its table out): machine.json, jmh-crypto.json, jmh-crypto-round2.json,
// jmh-crypto-2threads.json, ts-crypto.json, jmh-transport.json, ts-websocket.json (and -round2), jmh-e2e.json,
// jmh-e2e-memory.json, latency-*.json, server-load-*.json, memory.json, footprint-*.json, jmh-codec.json, frames.json.
//
// Every JMH or Node.js figure is shown as "mean (best)": the mean over the measured iterations and the best
// iteration (fastest time, highest rate). On a shared machine other processes take the CPU in bursts; the best
// iteration is the closest to an uncontended figure, on both sides alike, so ratios and targets use bests.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node report.mjs <results directory>");
const load = name => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), "utf8")) : null);
const out = [];
const line = (s = "") => out.push(s);
const fmt = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? "—" : x.toLocaleString("en-US",
  { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const int = x => fmt(x, 0);
const pass = ok => (ok ? "met" : "**missed**");
const both = (m, digits = 1) => (m ? `${fmt(m.mean, digits)} (${fmt(m.best, digits)})` : "—");

/** JMH results by "Class.method|param=value,...". Several files: the iterations of a result are pooled. */
function jmh(...names) {
  const byKey = new Map();
  for (const r of names.flatMap(name => load(name) ?? [])) {
    const method = r.benchmark.split(".").slice(-2).join(".");
    // echoUri (TransportBenchmark) says where the echo server ran, not what was measured
    const params = Object.entries(r.params ?? {}).filter(([k]) => k !== "echoUri")
      .map(([k, v]) => `${k}=${v}`).join(",");
    const key = `${method}|${params}`;
    const earlier = byKey.get(key);
    if (earlier) {
      const pool = (a, b) => {
        const raw = [...a.rawData.flat(), ...b.rawData.flat()];
        return { ...b, score: raw.reduce((x, y) => x + y, 0) / raw.length, rawData: [raw] };
      };
      const secondaryMetrics = { ...r.secondaryMetrics };
      for (const [k, m] of Object.entries(earlier.secondaryMetrics ?? {})) {
        if (secondaryMetrics[k]) secondaryMetrics[k] = pool(m, secondaryMetrics[k]);
      }
      byKey.set(key, { ...r, primaryMetric: pool(earlier.primaryMetric, r.primaryMetric), secondaryMetrics });
    } else {
      byKey.set(key, r);
    }
  }
  return byKey;
}
const TO_US = { "us/op": 1, "ns/op": 1e-3, "ms/op": 1e3, "s/op": 1e6 };
/** An average-time metric in µs/op: mean and fastest iteration. */
function avgt(r) {
  if (!r) return undefined;
  const f = TO_US[r.primaryMetric.scoreUnit];
  if (f === undefined) throw new Error("not an average time: " + r.primaryMetric.scoreUnit);
  return { mean: r.primaryMetric.score * f, best: Math.min(...r.primaryMetric.rawData.flat()) * f };
}
/** A throughput metric in ops/s (the primary one, or a secondary one by name): mean and best iteration. */
function thrpt(r, secondary) {
  const m = secondary ? r?.secondaryMetrics?.[secondary] : r?.primaryMetric;
  if (!m) return undefined;
  if (m.scoreUnit !== "ops/s") throw new Error("not a throughput in ops/s: " + m.scoreUnit);
  return { mean: m.score, best: Math.max(...m.rawData.flat()) };
}
const ts = (mean, iterations, better) => ({ mean, best: better(...iterations) });
/** CPU µs/op of a JMH result (CpuTimeProfiler's secondary metric) or of a TS result: mean and lowest iteration. */
function cpu(r) {
  const iterations = r?.cpuIterationsUs
    ?? Object.entries(r?.secondaryMetrics ?? {}).find(([k]) => k.includes("cpu.time"))?.[1]?.rawData?.flat();
  if (!iterations || iterations.length === 0) return undefined;
  return { mean: iterations.reduce((a, b) => a + b, 0) / iterations.length, best: Math.min(...iterations) };
}

const machine = load("machine.json");
if (machine) {
  line("### Machine and load");
  line();
  line(`- ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.memory}`);
  line(`- ${machine.java}`);
  if (machine.javaCrypto && machine.javaCrypto !== machine.java) line(`- crypto step: ${machine.javaCrypto}`);
  line(`- Node.js ${machine.node}, @kynesyslabs/demosdk ${machine.sdk}`);
  line(`- load average before: ${machine.loadBefore}; after: ${machine.loadAfter ?? "—"}`);
  if (machine.othersCpuShare !== undefined) {
    line(`- CPU time other processes took during the run (host \`/proc/stat\` busy time minus this run's): `
      + `${fmt(100 * machine.othersCpuShare, 0)} % of the ${machine.nproc} CPUs`);
  }
  line(`- run: ${machine.date}, \`${machine.command.trim()}\``);
  line();
  line("Cells read \"mean (best iteration)\"; ratios and targets use the best iterations (see above the tables).");
  line();
}

// ---- crypto: Java against the TypeScript SDK, and the two Java crypto providers against each other ----
const jc = jmh("jmh-crypto.json", "jmh-crypto-round2.json");
const tsBy = new Map();
for (const r of [...(load("ts-crypto.json")?.results ?? []), ...(load("ts-crypto-round2.json")?.results ?? [])]) {
  const key = `${r.name}|${r.param ?? ""}`;
  const earlier = tsBy.get(key);
  const iterationsUs = [...(earlier?.iterationsUs ?? []), ...r.iterationsUs];
  const cpuIterationsUs = [...(earlier?.cpuIterationsUs ?? []), ...(r.cpuIterationsUs ?? [])];
  const usPerOp = iterationsUs.reduce((a, b) => a + b, 0) / iterationsUs.length;
  tsBy.set(key, { ...r, iterationsUs, cpuIterationsUs, usPerOp, opsPerSec: 1e6 / usPerOp });
}
/** The JMH result of `method` whose parameters include all of `params` (a result without a provider
 * parameter, from before it existed, counts as bouncycastle). */
function result(results, method, params) {
  for (const r of results.values()) {
    if (!r.benchmark.endsWith(`.${method}`)) continue;
    const p = { provider: "bouncycastle", ...r.params };
    if (Object.entries(params).every(([k, v]) => p[k] === v)) return r;
  }
  return undefined;
}
const providers = [...new Set([...jc.values()].map(r => r.params?.provider ?? "bouncycastle"))]
  .sort((a, b) => (a === "bouncycastle" ? -1 : b === "bouncycastle" ? 1 : a.localeCompare(b)));
const PROVIDER_LABEL = { bouncycastle: "Bouncy Castle", jdk: "JDK" };
/** "≥ N×: met" judged on the CPU ratio (the wall-clock one where there is no CPU figure), the other's verdict
 * added where it differs. */
function verdict(n, cpuRatio, wallRatio) {
  const main = cpuRatio ?? wallRatio;
  if (main === undefined) return "";
  const other = cpuRatio !== undefined && wallRatio !== undefined && (wallRatio >= n) !== (cpuRatio >= n)
    ? ` (wall: ${wallRatio >= n ? "met" : "missed"})` : "";
  return `≥ ${n}×: ${pass(main >= n)}${other}`;
}
const label = p => `\`${p}\``;
if (jc.size > 0) {
  line("### Crypto: Java against the TypeScript SDK, same inputs, one thread each (µs/op)");
  line();
  if (machine?.javaCrypto && machine.javaCrypto !== machine.java) line(`The Java side of this table ran on ${machine.javaCrypto}.`);
  line("`seal` and `open` ran twice on each side (Java, TS, Java, TS); their cells pool both rounds. Wall: "
    + "wall-clock time per operation; CPU: CPU time the process used per operation (see Method). Targets are judged "
    + "on CPU time; the wall-clock verdict is added where it differs.");
  line();
  line("| operation | Java provider | Java wall | Java CPU | TypeScript SDK wall | TypeScript SDK CPU | "
    + "Java ÷ TS rate, wall (bests) | Java ÷ TS rate, CPU (bests) | target |");
  line("|---|---|---|---|---|---|---|---|---|");
  const rows = [
    ["seal", "100"], ["seal", "4096"], ["seal", "65536"], ["open", "100"], ["open", "4096"], ["open", "65536"],
    ["mlKem768Encapsulate"], ["mlKem768Decapsulate"], ["mlDsa65Sign"], ["mlDsa65Verify"], ["ed25519Sign"],
    ["ed25519Verify"], ["identityFromMasterSeed"], ["l2psProofVerifyFromHex"], ["identityFromMnemonic"],
  ];
  for (const [name, size] of rows) {
    for (const provider of providers) {
      const jr = result(jc, name, size ? { provider, size } : { provider });
      const j = avgt(jr);
      if (!j) continue;
      const jCpu = cpu(jr);
      const r = tsBy.get(`${name}|${size ?? ""}`);
      const t = r ? ts(r.usPerOp, r.iterationsUs, Math.min) : undefined;
      const tCpu = cpu(r);
      const wallRatio = t ? t.best / j.best : undefined;
      const cpuRatio = tCpu && jCpu ? tCpu.best / jCpu.best : undefined;
      line(`| \`${name}\`${size ? ` ${size} B` : ""} | ${label(provider)} | ${both(j)} | ${both(jCpu)} | ${both(t)} | `
        + `${both(tCpu)} | ${wallRatio ? fmt(wallRatio) + "×" : "—"} | ${cpuRatio ? fmt(cpuRatio) + "×" : "—"} | `
        + `${name === "seal" || name === "open" ? verdict(15, cpuRatio, wallRatio) : ""} |`);
    }
  }
  line();
  if (providers.length > 1) {
    const [base, ...others] = providers;
    for (const other of others) {
      line(`### Crypto: the \`${other}\` provider against \`${base}\`, same JVM, same run (µs/op)`);
      line();
      const [bl, ol] = [PROVIDER_LABEL[base] ?? base, PROVIDER_LABEL[other] ?? other];
      line(`| operation | ${bl} wall | ${ol} wall | ${bl} CPU | ${ol} CPU | ${other} ÷ ${base} rate, wall (bests) | `
        + `${other} ÷ ${base} rate, CPU (bests) | target |`);
      line("|---|---|---|---|---|---|---|---|");
      for (const [name, size] of rows) {
        const br = result(jc, name, size ? { provider: base, size } : { provider: base });
        const or = result(jc, name, size ? { provider: other, size } : { provider: other });
        const [b, o, bCpu, oCpu] = [avgt(br), avgt(or), cpu(br), cpu(or)];
        if (!b || !o) continue;
        const cpuRatio = bCpu && oCpu ? bCpu.best / oCpu.best : undefined;
        const target = name === "mlDsa65Sign" && other === "jdk" ? verdict(2, cpuRatio, b.best / o.best) : "";
        line(`| \`${name}\`${size ? ` ${size} B` : ""} | ${both(b)} | ${both(o)} | ${both(bCpu)} | ${both(oCpu)} | `
          + `${fmt(b.best / o.best)}× | ${cpuRatio ? fmt(cpuRatio) + "×" : "—"} | ${target} |`);
      }
      line();
    }
  }
  const two = jmh("jmh-crypto-2threads.json");
  if (two.size > 0) {
    line("Both cores, for context (not the target's measure): Java on 2 threads; the SDK runs its crypto on Node's "
      + "one event-loop thread.");
    line();
    line("| operation | Java provider | Java ops/s, 2 threads | TypeScript SDK ops/s | ratio (bests) |");
    line("|---|---|---|---|---|");
    for (const name of ["seal", "open"]) {
      for (const provider of providers) {
        const j = thrpt(result(two, name, { provider, size: "100" }));
        const r = tsBy.get(`${name}|100`);
        if (!j) continue;
        const t = r ? { mean: r.opsPerSec, best: 1e6 / Math.min(...r.iterationsUs) } : undefined;
        line(`| \`${name}\` 100 B | ${label(provider)} | ${both(j, 0)} | ${both(t, 0)} | `
          + `${t ? fmt(j.best / t.best) + "×" : "—"} |`);
      }
    }
    line();
  }
}

// ---- transport floor ----
/**
 * A sampled-time metric (JMH SampleTime) in µs: the mean, the median of every sample, and the median of the best
 * iteration (the lowest per-iteration median), from the per-iteration histograms.
 */
function sampled(r) {
  if (!r) return undefined;
  const f = TO_US[r.primaryMetric.scoreUnit];
  const perIteration = (r.primaryMetric.rawDataHistogram ?? []).flat().map(histogram => {
    const total = histogram.reduce((n, [, count]) => n + count, 0);
    const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (seen >= total / 2) return value * f;
    }
    return NaN;
  });
  return {
    mean: { mean: r.primaryMetric.score * f, best: NaN },
    p50: { mean: r.primaryMetric.scorePercentiles["50.0"] * f, best: Math.min(...perIteration) },
  };
}
const jt = jmh("jmh-transport.json");
/** Node's rounds before and after the Java transports, pooled: means over all iterations, medians over all samples. */
const tw = (() => {
  const rounds = ["ts-websocket.json", "ts-websocket-round2.json"].map(load).filter(Boolean);
  if (rounds.length === 0) return null;
  const cat = key => rounds.flatMap(r => r.iterations[key] ?? []);
  const avg = xs => xs.reduce((a, b) => a + b, 0) / xs.length;
  const p50s = cat("roundTripP50Us");
  return {
    ...rounds[0],
    roundTripUs: avg(cat("roundTripUs")),
    // pooled over the rounds: the median of the iterations' medians (one round alone: its median of all samples)
    roundTripP50Us: p50s.length === 0 ? undefined : rounds.length === 1 ? rounds[0].roundTripP50Us
      : [...p50s].sort((a, b) => a - b)[Math.floor((p50s.length - 1) / 2)],
    pipelinedPerSec: avg(cat("pipelinedPerSec")),
    iterations: { roundTripUs: cat("roundTripUs"), roundTripP50Us: p50s, pipelinedPerSec: cat("pipelinedPerSec") },
  };
})();
const floor = {};
const JAVA_TRANSPORTS = ["jdk", "java-websocket", "tyrus"];
if (jt.size > 0) {
  line("### WebSocket floor: each client against a plain Jetty echo endpoint, "
    + `${tw ? int(tw.frameChars) : "≈2,650"}-character frames`);
  line();
  line("Round trip: one frame out, wait for its echo; p50 is the median of every round trip (in parentheses: the "
    + "lowest median of one iteration). Pipelined: 64 frames in flight per connection.");
  line();
  line("| client | round trip p50 µs | round trip mean µs | pipelined frames/s, 1 connection | "
    + "pipelined frames/s, 16 connections |");
  line("|---|---|---|---|---|");
  const rows = {};
  for (const transport of JAVA_TRANSPORTS) {
    const rt = sampled(jt.get(`TransportBenchmark.roundTrip|transport=${transport}`));
    const p1 = thrpt(jt.get(`TransportBenchmark.pipelined|transport=${transport}`));
    const p16 = thrpt(jt.get(`TransportBenchmark.pipelined16|transport=${transport}`));
    if (!rt && !p1) continue;
    floor[transport] = { 1: p1, 16: p16 };
    rows[transport] = { rt, p1 };
    line(`| Java, \`${transport}\` | ${both(rt?.p50)} | ${rt ? fmt(rt.mean.mean) : "—"} | ${both(p1, 0)} | `
      + `${both(p16, 0)} |`);
  }
  let node;
  if (tw) {
    node = {
      p50: tw.roundTripP50Us === undefined ? undefined
        : { mean: tw.roundTripP50Us, best: Math.min(...tw.iterations.roundTripP50Us) },
      p1: ts(tw.pipelinedPerSec, tw.iterations.pipelinedPerSec, Math.max),
    };
    line(`| TypeScript SDK's: Node.js ${tw.node} global WebSocket | ${both(node.p50)} | ${fmt(tw.roundTripUs)} | `
      + `${both(node.p1, 0)} | — |`);
  }
  line();
  const measured = Object.entries(rows).filter(([, r]) => r.p1);
  if (node && measured.length > 0) {
    const [fastest, f] = measured.reduce((a, b) => (b[1].p1.best > a[1].p1.best ? b : a));
    line("Targets (issue 20), best iterations on both sides:");
    line();
    line("| target | measured | verdict |");
    line("|---|---|---|");
    line(`| fastest Java transport's pipelined rate (1 connection) ≥ Node's | \`${fastest}\` ${int(f.p1.best)} `
      + `against ${int(node.p1.best)} frames/s (${fmt(f.p1.best / node.p1.best, 2)}×) | `
      + `${pass(f.p1.best >= node.p1.best)} |`);
    if (f.rt && node.p50) {
      line(`| the same transport's round-trip p50 ≤ Node's | ${fmt(f.rt.p50.best)} µs against `
        + `${fmt(node.p50.best)} µs | ${pass(f.rt.p50.best <= node.p50.best)} |`);
    }
    for (const [transport, r] of measured) {
      line(`| \`${transport}\` pipelined ≥ 0.8× Node's | ${fmt(r.p1.best / node.p1.best, 2)}× | `
        + `${pass(r.p1.best >= 0.8 * node.p1.best)} |`);
    }
    if (node.p50) {
      for (const [transport, r] of measured.filter(([, r]) => r.rt)) {
        line(`| context, not a target: \`${transport}\` round-trip p50 ÷ Node's | `
          + `${fmt(r.rt.p50.best / node.p50.best, 2)}× | |`);
      }
    }
    line();
  }
}

// ---- client footprint per connection ----
const footprints = ["jdk", "java-websocket", "tyrus"].map(t => load(`footprint-${t}.json`)).filter(Boolean);
if (footprints.length > 0) {
  line(`### Client footprint: ${int(footprints[0].connections)} open connections to the echo endpoint (heap after full GC)`);
  line();
  line("| transport | threads per connection | heap per connection | threads before → with → after close | "
    + "heap before → with → after close |");
  line("|---|---|---|---|---|");
  for (const f of footprints) {
    line(`| \`${f.transport}\` | ${fmt(f.threadsPerConnection, 2)} | ${fmt(f.heapKiBPerConnection)} KiB | `
      + `${f.threadsBefore} → ${f.threadsWith} → ${f.threadsAfter} | ${fmt(f.heapBeforeMiB)} → ${fmt(f.heapWithMiB)} → `
      + `${fmt(f.heapAfterMiB)} MiB |`);
  }
  line();
}

// ---- end to end ----
const e2e = new Map([...jmh("jmh-e2e.json"), ...jmh("jmh-e2e-memory.json")]);
if (e2e.size > 0) {
  line("### End to end through the server: messages delivered (decrypted by the recipient) per second");
  line();
  line("| transport | server database | pairs | delivered msg/s | floor: pipelined frames/s | e2e ÷ floor (bests) | "
    + "target |");
  line("|---|---|---|---|---|---|---|");
  const order = k => (k.includes("h2-memory") ? 1 : 0) * 10 + (k.includes("sixteen") ? 1 : 0);
  for (const key of [...e2e.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b))) {
    const r = e2e.get(key);
    const pairs = key.startsWith("EndToEndBenchmark.onePair") ? 1 : 16;
    const delivered = thrpt(r, "delivered");
    const f = floor[r.params.transport]?.[pairs];
    const ratio = delivered && f ? delivered.best / f.best : undefined;
    const durable = r.params.database === "h2-file";
    line(`| \`${r.params.transport}\` | ${r.params.database}${durable ? "" : " (diagnostic)"} | ${pairs} | `
      + `${both(delivered, 0)} | ${both(f, 0)} | ${ratio ? fmt(100 * ratio) + " %" : "—"} | `
      + `${durable && ratio ? `≥ 20 %: ${pass(ratio >= 0.2)}` : ""} |`);
  }
  line();
}

// ---- latency ----
const latencyFiles = readdirSync(dir).filter(f => /^latency-.*\.json$/.test(f)).sort();
if (latencyFiles.length > 0) {
  line("### Send → acknowledgement latency, open loop at a fixed rate (µs, exact percentiles of every message)");
  line();
  line("\"> 15 s\": the percentile falls on messages not acknowledged within the peer's 15-s send timeout.");
  line();
  line("| transport | database | rate msg/s | pairs | ack p50 | ack p99 | ack p99.9 | ack max | delivery p50 | "
    + "delivery p99 | timed out | target |");
  line("|---|---|---|---|---|---|---|---|---|---|---|---|");
  const us = x => (x === null ? "> 15 s" : int(x));
  for (const f of latencyFiles) {
    const l = load(f);
    const p99 = l.ack.p99Us;
    const target = l.rate === 1000 && l.database === "h2-file"
      ? `p99 < 5 ms: ${pass(p99 !== null && p99 < 5000)}` : "";
    line(`| \`${l.transport}\` | ${l.database} | ${int(l.rate)} | ${l.pairs} | ${us(l.ack.p50Us)} | `
      + `${us(l.ack.p99Us)} | ${us(l.ack.p999Us)} | ${us(l.ack.maxUs)} | ${us(l.delivery.p50Us)} | `
      + `${us(l.delivery.p99Us)} | ${int(l.timeouts ?? 0)} of ${int(l.samples)} | ${target} |`);
  }
  line();
}

// ---- the server alone (issue 16) ----
const serverFiles = readdirSync(dir).filter(f => /^server-load-.*\.json$/.test(f)).sort(); // pinned first
if (serverFiles.length > 0) {
  const first = load(serverFiles[0]);
  line(`### The server alone: hardened, H2 file, \`ack\` on, rate limit off, ${first.pairs} pairs over raw \`${first.transport}\` `
    + "connections (ServerLoad)");
  line();
  line("Pre-sealed `send` frames, no client crypto on the hot path; every run on a fresh server process and database. "
    + `Windows of ${first.seconds} s after ${first.warmupSeconds} s of warm-up. Latencies in ms, exact percentiles of every `
    + "message issued in the window (open loop: from when it was due); \"—\": the percentile falls on messages "
    + "without a reply by the end of the drain. Server CPU: the server process's CPU time over the window ÷ "
    + "messages delivered in it. Floor: the same transport against a plain Jetty echo process, "
    + `${first.window} frames in flight on each of ${first.pairs} connections; at a rate, the echo's latency in the ack `
    + "columns: what the generator, the transport and the machine cost before the server does anything.");
  line();
  line("| placement | run | delivered msg/s | server CPU µs/msg | server CPU share | ack p50 | ack p99 | ack p99.9 | "
    + "ack max | delivery p50 | delivery p99 | delivery max | unfinished | delivered ÷ floor | target |");
  line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  const loads = [];
  const ms = x => (x === null || x === undefined ? "—" : fmt(x / 1000));
  for (const f of serverFiles) {
    const s = load(f);
    const placement = s.pin ? `pinned (server CPU ${s.pin.split(",")[0]}, generator ${s.pin.split(",")[1]})` : "unpinned";
    const fl = s.runs.find(r => r.run === "floor");
    if (fl) {
      line(`| ${placement} | echo floor | ${int(fl.echoesPerSecond)} echoes/s | ${fmt(fl.echoCpuUsPerFrame)} per echo | `
        + `${fmt(100 * fl.echoCpuShare, 0)} % | | | | | | | | | | |`);
    }
    for (const r of s.runs.filter(r => r.run.startsWith("floor@"))) {
      // the latency floor under the open loops: the same generator and frames against the echo process
      line(`| ${placement} | echo floor, open loop at ${int(Number(r.run.slice(6)))} frames/s | | | | `
        + `${ms(r.echo.p50Us)} | ${ms(r.echo.p99Us)} | ${ms(r.echo.p999Us)} | ${ms(r.echo.maxUs)} | | | | `
        + `${int(r.echo.unfinished)} of ${int(r.samples)} | | |`);
    }
    for (const r of s.runs.filter(r => r.run !== "floor" && !r.run.startsWith("floor@"))) {
      const name = r.run === "closed" ? `closed loop, ${s.window} in flight per pair` : `open loop, ${int(r.offeredRate)} msg/s`;
      const targets = [];
      if (r.run === "closed") targets.push(`≥ 10,000 msg/s: ${pass(r.deliveredPerSecond >= 10000)}`);
      if (r.run === "closed" || r.offeredRate === 1000) {
        targets.push(`≤ 100 µs CPU: ${pass(r.serverCpuUsPerDelivered !== null && r.serverCpuUsPerDelivered <= 100)}`);
      }
      line(`| ${placement} | ${name}${r.saturated ? " (saturated: stopped sending)" : ""} | ${int(r.deliveredPerSecond)} | `
        + `${fmt(r.serverCpuUsPerDelivered, 0)} | ${fmt(100 * r.serverCpuShare, 0)} % | ${ms(r.ack.p50Us)} | `
        + `${ms(r.ack.p99Us)} | ${ms(r.ack.p999Us)} | ${ms(r.ack.maxUs)} | ${ms(r.delivery.p50Us)} | `
        + `${ms(r.delivery.p99Us)} | ${ms(r.delivery.maxUs)} | ${int(r.unfinished)} of ${int(r.samples)} | `
        + `${fl ? fmt(100 * r.deliveredPerSecond / fl.echoesPerSecond) + " %" : "—"} | ${targets.join("; ")} |`);
    }
    loads.push(`- ${placement}: load average before ${s.loadBefore}, after ${s.loadAfter}; finished ${s.date}`);
  }
  line();
  loads.forEach(l => line(l));
  line();
}

// ---- the server alone: group commit A/B per database (issue 16), and store writers on PostgreSQL ----
// server-ab-<database>-<true|false>[-w<writers>][-d<ms>].json: group commit on or off, the writer count and the
// commit delay when they were set. h2mem: the diagnostic run on an in-memory H2 database, last.
const abName = /^server-ab-(h2|h2mem|postgresql)-(true|false)(?:-w(\d+))?(?:-d(\d+))?\.json$/;
const abRank = f => {
  const [, database, grouped, writers, delay] = f.match(abName);
  return [{h2: 0, postgresql: 1, h2mem: 2}[database], grouped === "true" ? 0 : 1, writers === undefined ? 0 : Number(writers),
    delay === undefined ? -1 : Number(delay)];
};
const abFiles = readdirSync(dir).filter(f => abName.test(f))
  .sort((a, b) => abRank(a).map((x, i) => x - abRank(b)[i]).find(d => d !== 0) ?? 0);
const abCommits = f => {
  const [, database, grouped, writers, delay] = f.match(abName);
  if (grouped === "false") return "one per write (pool of 4)";
  const n = writers === undefined ? (database === "postgresql" ? 2 : 1) : Number(writers);
  const delayed = delay === undefined ? "commit delay 1 ms" : delay === "0" ? "no commit delay" : `commit delay ${delay} ms`;
  return `grouped (${n === 1 ? "one writer" : `${n} writers`}, ${delayed})`;
};
if (abFiles.length > 0) {
  line("### Group commit A/B: the server alone, unpinned, H2 file and local PostgreSQL (default settings: fsync on)");
  line();
  if (abFiles.some(f => f.startsWith("server-ab-h2mem-"))) {
    line("`h2-memory`: a diagnostic, the same server on an in-memory H2 database (no file, nothing durable).");
    line();
  }
  line("| database | commits | run | delivered msg/s | server CPU µs/msg | server CPU share | ack p50 | ack p99 | unfinished |");
  line("|---|---|---|---|---|---|---|---|---|");
  const ms = x => (x === null || x === undefined ? "—" : fmt(x / 1000));
  const loads = [];
  for (const f of abFiles) {
    const s = load(f);
    const commits = abCommits(f);
    for (const r of s.runs.filter(r => r.run !== "floor")) {
      const name = r.run === "closed" ? `closed loop, ${s.window} in flight per pair` : `open loop, ${int(r.offeredRate)} msg/s`;
      line(`| ${s.database} | ${commits} | ${name} | ${int(r.deliveredPerSecond)} | ${fmt(r.serverCpuUsPerDelivered, 0)} | `
        + `${fmt(100 * r.serverCpuShare, 0)} % | ${ms(r.ack.p50Us)} | ${ms(r.ack.p99Us)} | ${int(r.unfinished)} of ${int(r.samples)} |`);
    }
    loads.push(`- ${s.database}, ${commits}: load average before ${s.loadBefore}, after ${s.loadAfter}; finished ${s.date}`);
  }
  line();
  loads.forEach(l => line(l));
  line();
}

// ---- memory ----
const mem = load("memory.json");
if (mem) {
  line("### Server memory per idle registered connection (forked server, heap after full GC)");
  line();
  line("| connections | heap before | heap with them | per connection | left per closed connection | "
    + "direct buffers per connection |");
  line("|---|---|---|---|---|---|");
  const kib = b => fmt(b / 1024) + " KiB";
  const mib = b => fmt(b / 1048576) + " MiB";
  line(`| ${int(mem.connections)} | ${mib(mem.heapBefore)} | ${mib(mem.heapWith)} | ${kib(mem.heapPerConnection)} | `
    + `${kib(mem.heapLeftPerClosedConnection)} | ${kib(mem.directPerConnection)} |`);
  line();
}

// ---- codec ----
const jk = jmh("jmh-codec.json");
const frames = load("frames.json") ?? {};
if (jk.size > 0) {
  line("### Codec: encode and decode per frame type (µs/frame)");
  line();
  line("| frame | characters | encode | decode | decode MB/s (best) |");
  line("|---|---|---|---|---|");
  for (const name of Object.keys(frames)) {
    const enc = avgt(jk.get(`CodecBenchmark.encode|frame=${name}`));
    const dec = avgt(jk.get(`CodecBenchmark.decode|frame=${name}`));
    if (!enc && !dec) continue;
    line(`| \`${name}\` | ${int(frames[name])} | ${both(enc, 2)} | ${both(dec, 2)} | `
      + `${dec ? int(frames[name] / dec.best) : "—"} |`);
  }
  line();
}

process.stdout.write(out.join("\n") + "\n");
