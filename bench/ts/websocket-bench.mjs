#!/usr/bin/env node
// The TypeScript SDK's transport, Node.js's global WebSocket (what the SDK's MessagingPeer uses), against the
// same Jetty echo endpoint as TransportBenchmark (bench/.../EchoServer.java), with frames of the same size:
//   roundTrip: send one frame, await its echo (microseconds per round trip: the mean, and the median (p50) of
//              every round trip of the measured iterations);
//   pipelined: keep 64 frames in flight (echoed frames per second).
// Node.js 20/21 need --experimental-websocket (compare-ts.sh passes it); 22+ have the global by default.
//
// Usage: node [--experimental-websocket] websocket-bench.mjs --uri ws://127.0.0.1:<port>/ --frame-chars 2656
//          [--warmup-iterations 2] [--iterations 3] [--seconds 3]
// Prints one JSON object: {node, frameChars, roundTripUs, roundTripP50Us, pipelinedPerSec, iterations: {...}}.
import { parseArgs } from "../../interop/lib/jsonl.mjs";
import { requireGlobalWebSocket } from "../../interop/lib/runtime.mjs";

const WINDOW = 64;
const args = parseArgs(process.argv.slice(2));
if (!args.uri) throw new Error("--uri is required");
const frameChars = Number(args["frame-chars"] ?? 2656);
const warmupIterations = Number(args["warmup-iterations"] ?? 2);
const iterations = Number(args.iterations ?? 3);
const seconds = Number(args.seconds ?? 3);
requireGlobalWebSocket();

const frame = "x".repeat(frameChars);
const ws = new WebSocket(args.uri);
await new Promise((resolve, reject) => {
  ws.onopen = resolve;
  ws.onerror = event => reject(new Error("cannot connect to " + args.uri + ": " + (event.message ?? event.type)));
});

let onEcho = () => {};
ws.onmessage = event => {
  if (event.data.length !== frameChars) throw new Error(`echo of ${event.data.length} chars, sent ${frameChars}`);
  onEcho();
};
ws.onerror = event => { throw new Error("WebSocket error: " + (event.message ?? event.type)); };

/** Every round trip of the measured iterations, in microseconds, for the median. */
const roundTripSamples = [];
let measuring = false;

/** One time-boxed round-trip iteration: microseconds per round trip. */
async function roundTrips() {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let count = 0;
  let now = start;
  while (now < deadline) {
    const sent = now;
    await new Promise(resolve => { onEcho = resolve; ws.send(frame); });
    count++;
    now = performance.now();
    if (measuring) roundTripSamples.push((now - sent) * 1000);
  }
  return ((now - start) * 1000) / count;
}

/** The median of the samples, per iteration and over all of them. */
function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

/** One time-boxed pipelined iteration: echoes per second, with WINDOW frames in flight. */
function pipelined() {
  return new Promise(resolve => {
    const start = performance.now();
    const deadline = start + seconds * 1000;
    let inFlight = 0;
    let echoed = 0;
    let stopping = false;
    const fill = () => {
      while (!stopping && inFlight < WINDOW) {
        ws.send(frame);
        inFlight++;
      }
    };
    onEcho = () => {
      inFlight--;
      echoed++;
      if (!stopping && performance.now() >= deadline) {
        stopping = true;
        const rate = echoed / ((performance.now() - start) / 1000);
        // let the frames still in flight come back before the next iteration
        const drain = () => (inFlight === 0 ? resolve(rate) : (onEcho = () => { inFlight--; drain(); }));
        drain();
        return;
      }
      fill();
    };
    fill();
  });
}

async function measure(iteration, perIteration = () => {}) {
  for (let i = 0; i < warmupIterations; i++) await iteration();
  const values = [];
  for (let i = 0; i < iterations; i++) {
    measuring = true;
    values.push(await iteration());
    measuring = false;
    perIteration();
  }
  return values;
}

const roundTripP50Iterations = [];
let taken = 0;
const roundTripIterations = await measure(roundTrips, () => {
  roundTripP50Iterations.push(median(roundTripSamples.slice(taken)));
  taken = roundTripSamples.length;
});
const pipelinedIterations = await measure(pipelined);
ws.close(1000, "done");
const mean = xs => xs.reduce((a, b) => a + b, 0) / xs.length;
process.stdout.write(JSON.stringify({
  node: process.version,
  frameChars,
  roundTripUs: mean(roundTripIterations),
  roundTripP50Us: median(roundTripSamples),
  pipelinedPerSec: mean(pipelinedIterations),
  iterations: { roundTripUs: roundTripIterations, roundTripP50Us: roundTripP50Iterations,
    pipelinedPerSec: pipelinedIterations },
}) + "\n");
