// Generates connect-wallet-vectors.json: the master seed Demos.connectWallet(string) of
// @kynesyslabs/demosdk 2.9.1 derives (build/websdk/demosclass.js, copied step by step below),
// with the libraries it resolves: @scure/bip39 2.x and @noble/hashes 1.8.0.
// Run: npm i @scure/bip39@2.4.0 @noble/hashes@1.8.0 && node connect-wallet-vectors.mjs > connect-wallet-vectors.json
import * as bip39 from "@scure/bip39"
import { wordlist } from "@scure/bip39/wordlists/english.js"
import { sha3_512 } from "@noble/hashes/sha3"
import { bytesToHex } from "@noble/hashes/utils"
import { sha256 } from "@noble/hashes/sha2"

function connectWalletMasterSeed(masterSeed) {
  if (!masterSeed) throw new Error("Master seed is required. Use `demos.newMnemonic()` to generate a new mnemonic.")
  let hashable = null
  masterSeed = masterSeed.trim()
  if (!bip39.validateMnemonic(masterSeed, wordlist)) hashable = bip39.mnemonicToSeedSync(masterSeed)
  else hashable = masterSeed
  if (masterSeed.length !== 128) hashable = masterSeed
  return bytesToHex(sha3_512(hashable)) // ASCII of this hex = the master seed
}

// a valid mnemonic of exactly 128 UTF-16 units (deterministic search over entropies)
function mnemonicOfLength(len, words) {
  for (let i = 0; i < 1e6; i++) {
    const ent = sha256(new TextEncoder().encode("demos-im " + i)).slice(0, words / 3 * 4)
    const m = bip39.entropyToMnemonic(ent, wordlist)
    if (m.length === len) return m
  }
  throw new Error("none found")
}
const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
const padTo128 = (prefix, c) => prefix + c.repeat(128 - prefix.length)
const nonMnemonic128 = padTo128("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo ", "x")
const ligature128 = padTo128("\ufb01ve \ufb01ve six seven eight nine ten eleven twelve thirteen fourteen ", "y")
const cases = [
  ["valid mnemonic", abandon],
  ["valid mnemonic, JS whitespace around it (NBSP, ideographic space, BOM, line separator)", "\u00a0\u3000\ufeff " + abandon + " \u2028\t\n"],
  ["valid 24-word mnemonic", bip39.entropyToMnemonic(new Uint8Array(32).fill(0x7f), wordlist)],
  ["valid 18-word mnemonic of exactly 128 characters: hashed as text", mnemonicOfLength(128, 18)],
  ["valid mnemonic in full-width letters (valid after NFKD; the original text is hashed)", abandon.replace(/[a-z]/g, c => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
  ["12-word non-mnemonic, not 128 characters: hashed as text", "a b c d e f g h i j k l"],
  ["12-word non-mnemonic of exactly 128 characters: BIP-39 PBKDF2 seed, then hashed", nonMnemonic128],
  ["12-word non-mnemonic of 128 characters with ligatures: PBKDF2 over the NFKD form", ligature128],
  ["15 non-words with non-ASCII, not 128 characters", "h\u00e9llo w\u00f6rld \u2713 \ud83d\udc4b a b c d e f g h i j k"],
  ["one word: connectWallet throws", "hello"],
  ["128 characters, one word: throws", "x".repeat(128)],
  ["empty: throws", ""],
  ["blank: throws", "   "],
  ["13 words (a double space splits an empty word): throws", abandon.replace(" ", "  ")],
  ["tab-separated mnemonic is one word: throws", abandon.replaceAll(" ", "\t")],
  ["unpaired surrogate: throws", "\ud800 b c d e f g h i j k l"],
]
const out = { generator: "connect-wallet-vectors.mjs", sdk: "@kynesyslabs/demosdk 2.9.1 Demos.connectWallet(string)",
  libraries: { "@scure/bip39": "2.4.0", "@noble/hashes": "1.8.0" }, cases: [] }
for (const [label, input] of cases) {
  const c = { label, input, trimmedLength: input.trim().length,
    validMnemonic: (() => { try { return bip39.validateMnemonic(input.trim(), wordlist) } catch (e) { return false } })() }
  try { c.masterSeedAscii = connectWalletMasterSeed(input) } catch (e) { c.throws = e.message }
  out.cases.push(c)
}
console.log(JSON.stringify(out, null, 1))
