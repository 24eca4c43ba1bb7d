#!/usr/bin/env node
// Turns the result files of one compare-ts.sh run into the Markdown tables of docs/performance.md.
//
// Usage: node report.mjs <results directory>
// Reads (each optional, a missing one leaves its table out): machine.json, jmh-crypto.json, ts-crypto.json,
// jmh-transport.json, ts-websocket.json, jmh-e2e.json, jmh-e2e-memory.json, latency-*.json, memory.json,
// jmh-codec.json, frames.json.
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

/** JMH results by "shortName|param=value,...". */
function jmh(name) {
  const runs = load(name) ?? [];
  const byKey = new Map();
  for (const r of runs) {
    const method = r.benchmark.split(".").slice(-2).join(".");
    const params = Object.entries(r.params ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
    byKey.set(`${method}|${params}`, r);
  }
  return byKey;
}
const usPerOp = r => {
  if (!r) return undefined;
  const { score, scoreUnit } = r.primaryMetric;
  if (scoreUnit === "us/op") return score;
  if (scoreUnit === "ns/op") return score / 1000;
  if (scoreUnit === "ms/op") return score * 1000;
  if (scoreUnit === "ops/s") return 1e6 / score;
  throw new Error("unexpected unit " + scoreUnit);
};
/** The fastest measured iteration of an average-time result, in µs/op. */
const bestUs = r => {
  const all = r.primaryMetric.rawData.flat();
  const factor = usPerOp(r) / r.primaryMetric.score;
  return Math.min(...all) * factor;
};
const err = r => (r && Number.isFinite(r.primaryMetric.scoreError) ? `± ${fmt(r.primaryMetric.scoreError, 1)}` : "");

const machine = load("machine.json");
if (machine) {
  line("### Machine and load");
  line();
  line(`- ${machine.nproc} CPUs (\`nproc\`), ${machine.cpu}, ${machine.memory}`);
  line(`- ${machine.java}`);
  line(`- Node.js ${machine.node}, @kynesyslabs/demosdk ${machine.sdk}`);
  line(`- load average before: ${machine.loadBefore}; after: ${machine.loadAfter ?? "—"}`);
  if (machine.othersCpuShare !== undefined) {
    line(`- CPU time used by other processes during the run (host \`/proc/stat\` busy time minus this run's): `
      + `${fmt(100 * machine.othersCpuShare, 0)} % of the ${machine.nproc} CPUs`);
  }
  line(`- run: ${machine.date}, ${machine.command}`);
  line();
}

// ---- crypto: Java against the TypeScript SDK ----
const jc = jmh("jmh-crypto.json");
const ts = load("ts-crypto.json");
if (jc.size > 0) {
  const tsBy = new Map((ts?.results ?? []).map(r => [`${r.name}|${r.param ?? ""}`, r]));
  line("### Crypto: Java against the TypeScript SDK, same inputs, one thread each");
  line();
  line("Mean over the measured iterations, and the best (fastest) iteration of each side: on a shared machine the "
    + "best iteration is the closest to an uncontended figure, for both languages alike. Targets are judged on the "
    + "best-iteration ratio.");
  line();
  line("| operation | Java µs/op (mean) | TS SDK µs/op (mean) | ratio of means | Java best | TS best | "
    + "ratio of bests | target |");
  line("|---|---|---|---|---|---|---|---|");
  const rows = [
    ["seal", "100"], ["seal", "4096"], ["seal", "65536"], ["open", "100"], ["open", "4096"], ["open", "65536"],
    ["mlDsa65Sign"], ["mlDsa65Verify"], ["ed25519Sign"], ["ed25519Verify"], ["identityFromMasterSeed"],
    ["l2psProofVerifyFromHex"], ["identityFromMnemonic"],
  ];
  for (const [name, size] of rows) {
    const j = jc.get(`CryptoBenchmark.${name}|${size ? "size=" + size : ""}`);
    if (!j) continue;
    const t = tsBy.get(`${name}|${size ?? ""}`);
    const ratio = t ? t.usPerOp / usPerOp(j) : undefined;
    const javaBest = bestUs(j);
    const tsBest = t ? Math.min(...t.iterationsUs) : undefined;
    const bestRatio = t ? tsBest / javaBest : undefined;
    const targeted = name === "seal" || name === "open";
    line(`| \`${name}\`${size ? ` ${size} B` : ""} | ${fmt(usPerOp(j))} ${err(j)} | ${t ? fmt(t.usPerOp) : "—"} | `
      + `${ratio ? fmt(ratio, 1) + "×" : "—"} | ${fmt(javaBest)} | ${t ? fmt(tsBest) : "—"} | `
      + `${bestRatio ? fmt(bestRatio, 1) + "×" : "—"} | `
      + `${targeted && bestRatio ? `≥ 15×: ${pass(bestRatio >= 15)}` : ""} |`);
  }
  line();
  const two = jmh("jmh-crypto-2threads.json");
  if (two.size > 0) {
    line("Both cores (context, not the target's measure): Java with 2 threads against the SDK, which runs its crypto "
      + "on Node's one event-loop thread.");
    line();
    line("| operation | Java ops/s, 2 threads | TypeScript SDK ops/s | ratio |");
    line("|---|---|---|---|");
    for (const name of ["seal", "open"]) {
      const j = two.get(`CryptoBenchmark.${name}|size=100`);
      const t = tsBy.get(`${name}|100`);
      if (!j) continue;
      line(`| \`${name}\` 100 B | ${int(j.primaryMetric.score)} | ${t ? int(t.opsPerSec) : "—"} | `
        + `${t ? fmt(j.primaryMetric.score / t.opsPerSec, 1) + "×" : "—"} |`);
    }
    line();
  }
}

// ---- transport floor ----
const jt = jmh("jmh-transport.json");
const tw = load("ts-websocket.json");
const floor = {};
if (jt.size > 0) {
  line("### WebSocket floor: each transport against a plain Jetty echo endpoint, "
    + `${tw ? tw.frameChars : "≈2,650"}-character frames`);
  line();
  line("| client | round trip µs | pipelined frames/s, 1 connection | pipelined frames/s, 16 connections |");
  line("|---|---|---|---|");
  for (const transport of ["java-websocket", "tyrus"]) {
    const rt = jt.get(`TransportBenchmark.roundTrip|transport=${transport}`);
    const p1 = jt.get(`TransportBenchmark.pipelined|transport=${transport}`);
    const p16 = jt.get(`TransportBenchmark.pipelined16|transport=${transport}`);
    floor[transport] = { one: p1?.primaryMetric.score, sixteen: p16?.primaryMetric.score };
    line(`| Java, \`${transport}\` | ${fmt(usPerOp(rt))} | ${int(p1?.primaryMetric.score)} | `
      + `${int(p16?.primaryMetric.score)} |`);
  }
  if (tw) {
    line(`| TypeScript SDK's (Node.js ${tw.node} global WebSocket) | ${fmt(tw.roundTripUs)} | `
      + `${int(tw.pipelinedPerSec)} | — |`);
  }
  line();
}

// ---- end to end ----
const e2e = new Map([...jmh("jmh-e2e.json"), ...jmh("jmh-e2e-memory.json")]);
if (e2e.size > 0) {
  line("### End to end through the server: delivered messages per second");
  line();
  line("| transport | server database | pairs | delivered msg/s | floor (pipelined frames/s) | e2e ÷ floor | target |");
  line("|---|---|---|---|---|---|---|");
  const keys = [...e2e.keys()].sort();
  for (const key of keys) {
    const r = e2e.get(key);
    const [method] = key.split("|");
    const pairs = method.endsWith("onePair") ? 1 : 16;
    const delivered = r.secondaryMetrics?.delivered?.score;
    const f = floor[r.params.transport]?.[pairs === 1 ? "one" : "sixteen"];
    const ratio = delivered && f ? delivered / f : undefined;
    const durable = r.params.database === "h2-file";
    line(`| \`${r.params.transport}\` | ${r.params.database}${durable ? "" : " (diagnostic)"} | ${pairs} | `
      + `${int(delivered)} | ${int(f)} | ${ratio ? fmt(100 * ratio, 1) + " %" : "—"} | `
      + `${durable && ratio ? `≥ 20 %: ${pass(ratio >= 0.2)}` : ""} |`);
  }
  line();
}

// ---- latency ----
const latencyFiles = readdirSync(dir).filter(f => /^latency-.*\.json$/.test(f)).sort();
if (latencyFiles.length > 0) {
  line("### Send → acknowledgement latency, open loop at a fixed rate (µs, exact percentiles)");
  line();
  line("\"> 15 s\": the percentile falls on messages that were not acknowledged within the peer's 15-s send "
    + "timeout (the offered rate is above what the system sustains, so the queue grows for as long as the run lasts).");
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

// ---- memory ----
const mem = load("memory.json");
if (mem) {
  line("### Server memory per idle registered connection");
  line();
  line("| connections | heap before | heap with them | per connection | left per closed connection | "
    + "direct buffers per connection |");
  line("|---|---|---|---|---|---|");
  const kib = b => fmt(b / 1024, 1) + " KiB";
  const mib = b => fmt(b / 1048576, 1) + " MiB";
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
  line("| frame | characters | encode | decode | decode MB/s |");
  line("|---|---|---|---|---|");
  const names = [...new Set([...jk.keys()].map(k => k.split("|")[1].replace("frame=", "")))];
  for (const name of Object.keys(frames).filter(n => names.includes(n))) {
    const enc = jk.get(`CodecBenchmark.encode|frame=${name}`);
    const dec = jk.get(`CodecBenchmark.decode|frame=${name}`);
    const mbs = dec ? frames[name] / usPerOp(dec) : undefined;
    line(`| \`${name}\` | ${int(frames[name])} | ${fmt(usPerOp(enc), 2)} | ${fmt(usPerOp(dec), 2)} | ${int(mbs)} |`);
  }
  line();
}

process.stdout.write(out.join("\n") + "\n");
