#!/usr/bin/env node
// The TypeScript SDK's own crypto operations (@kynesyslabs/demosdk 2.9.1, UnifiedCrypto), timed with the
// same inputs as CryptoBenchmark (bench/src/main/java/.../BenchInputs.java):
//   master seed = bytes 0..127; plaintext of n bytes = byte i is (i mod 251);
//   ML-DSA-65 signs the identity's 1184-byte ML-KEM public key (the legacy registration proof);
//   Ed25519 signs "register:<ed25519 public key hex>:1764000000000" (the 89-byte L2PS proof string).
// Every operation is awaited, as an application calls it. Time-boxed iterations like JMH's: warm-up
// iterations are discarded, and the score is the mean time per operation over the measured ones.
//
// Usage: node crypto-bench.mjs [--warmup-iterations 2] [--iterations 3] [--seconds 2] [--only regex]
// Prints one JSON object on stdout: {sdkVersion, node, results: [{name, param, usPerOp, opsPerSec, iterationsUs,
// cpuIterationsUs}]}: wall-clock µs/op (mean, and per iteration), and the process's CPU µs/op per iteration.
import { parseArgs, hex } from "../../interop/lib/jsonl.mjs";
import { ucrypto, sdkVersion } from "../../interop/lib/sdk.mjs";
import { cryptoFor } from "../../interop/lib/identity.mjs";

const args = parseArgs(process.argv.slice(2));
const warmupIterations = Number(args["warmup-iterations"] ?? 2);
const iterations = Number(args.iterations ?? 3);
const seconds = Number(args.seconds ?? 2);
const only = args.only ? new RegExp(args.only) : null;

const seed = Uint8Array.from({ length: 128 }, (_, i) => i);
const plaintext = n => Uint8Array.from({ length: n }, (_, i) => i % 251);
const PROOF_TIMESTAMP = 1764000000000;

const { uc } = await cryptoFor({ seedHex: hex(seed) });
const kem = await uc.getIdentity("ml-kem-aes");
const ed = await uc.getIdentity("ed25519");
const mlDsa = await uc.getIdentity("ml-dsa");
const registeredKey = new Uint8Array(kem.publicKey);
const proofMessage = new TextEncoder().encode(`register:${hex(ed.publicKey)}:${PROOF_TIMESTAMP}`);
const mlDsaSigned = await uc.sign("ml-dsa", registeredKey);
const edSigned = await uc.sign("ed25519", proofMessage);

/** Runs `op` for `seconds`; returns wall-clock and CPU microseconds per operation (CPU: the whole process, as
 * the Java side's CpuTimeProfiler counts its whole JVM). */
async function iteration(op) {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now < deadline) {
    await op();
    count++;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wallUs: ((now - start) * 1000) / count, cpuUs: (cpu.user + cpu.system) / count };
}

const results = [];
async function bench(name, param, op) {
  if (only && !only.test(name)) return;
  // a sanity call first: a broken operation fails here, not inside the timed loop
  await op();
  for (let i = 0; i < warmupIterations; i++) await iteration(op);
  const iterationsUs = [];
  const cpuIterationsUs = [];
  for (let i = 0; i < iterations; i++) {
    const { wallUs, cpuUs } = await iteration(op);
    iterationsUs.push(wallUs);
    cpuIterationsUs.push(cpuUs);
  }
  const usPerOp = iterationsUs.reduce((a, b) => a + b, 0) / iterationsUs.length;
  results.push({ name, param, usPerOp, opsPerSec: 1e6 / usPerOp, iterationsUs, cpuIterationsUs });
  console.error(`ts ${name}${param ? ":" + param : ""}: ${usPerOp.toFixed(1)} us/op`);
}

for (const size of [100, 4096, 65536]) {
  const data = plaintext(size);
  await bench("seal", String(size), () => uc.encrypt("ml-kem-aes", data, kem.publicKey));
}
for (const size of [100, 4096, 65536]) {
  const sealed = await uc.encrypt("ml-kem-aes", plaintext(size), kem.publicKey);
  await bench("open", String(size), async () => {
    const opened = await uc.decrypt(sealed);
    if (opened.length !== size) throw new Error("decrypt returned " + opened.length + " bytes");
  });
}
await bench("mlDsa65Sign", null, () => uc.sign("ml-dsa", registeredKey));
await bench("mlDsa65Verify", null, async () => {
  const ok = await ucrypto.verify({ algorithm: "ml-dsa", signature: mlDsaSigned.signature, message: registeredKey,
    publicKey: mlDsa.publicKey });
  if (ok !== true) throw new Error("ML-DSA signature did not verify");
});
await bench("ed25519Sign", null, () => uc.sign("ed25519", proofMessage));
await bench("ed25519Verify", null, async () => {
  const ok = await ucrypto.verify({ algorithm: "ed25519", signature: edSigned.signature, message: proofMessage,
    publicKey: ed.publicKey });
  if (ok !== true) throw new Error("Ed25519 signature did not verify");
});
await bench("identityFromMasterSeed", null, () => uc.generateAllIdentities(seed));

process.stdout.write(JSON.stringify({ sdkVersion: await sdkVersion(), node: process.version, results }) + "\n");
