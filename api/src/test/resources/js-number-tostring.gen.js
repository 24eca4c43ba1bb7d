// Generates (input JSON number text, JS String(JSON.parse(text))) pairs.
const out = [];
function add(t){ out.push([t, String(JSON.parse(t))]); }
const fixed = ["0","-0","1","-1","1709312400000","1709312400000.0","1.7093124E12","1.5","0.1","0.2","0.30000000000000004",
 "1e21","1e+21","999999999999999999999","100000000000000000000","123456789012345678901234","1e-6","1e-7","0.000001","0.0000001",
 "1.23e-18","5e-324","1.7976931348623157e308","1e400","-1e400","9007199254740993","9007199254740992","18014398509481985",
 "4.35","0.000123","123.456","1e20","2e-7","1.2e-6","5e-7","1e308","2.2250738585072014e-308","4.9406564584124654e-324",
 "9.999999999999999e22","1e23","8.41e21","123e18","1.0000000000000002","0.1e1","100","-123.25e-3","3.0e0","144115188075855877",
 "0.5","2.5","1e-300","295147905179352825856","7.0e-10"];
fixed.forEach(add);
// random doubles from bit patterns
const buf = new DataView(new ArrayBuffer(8));
let seed = 12345;
function rnd(){ seed = (seed * 1103515245 + 12345) % 2147483648; return seed; }
for (let i=0;i<2000;i++){
  buf.setUint32(0, (rnd()*2)>>>0); buf.setUint32(4, (rnd()*2)>>>0);
  const d = buf.getFloat64(0);
  if (!isFinite(d)) continue;
  // exact input text: use a 17-significant-digit exponent form so the input is not already shortest
  add(d.toExponential(16));
}
for (let i=0;i<500;i++){ const v = Math.floor(rnd()) * Math.pow(10, rnd()%25 - 12); add(v.toExponential(20).replace(/0+e/,'e').replace(/\.e/,'e')); }
for (let i=0;i<300;i++){ const v = rnd() / Math.pow(2, rnd()%60); add(String(v)); add(v.toPrecision(21)); }
console.log(out.map(p=>p[0]+"\t"+p[1]).join("\n"));
