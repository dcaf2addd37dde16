// strconv.FormatFloat as Go's fmt prints float64, for what both the daemon and the CLI print the
// way Docker's Go code does (sizes, percentages, template output).

/** strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints float64. */
export function formatFloat(f: number, verb: 'g' | 'e' | 'f' = 'g', prec = -1): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (verb === 'f') return prec < 0 ? shortestFixed(f) : f.toFixed(prec);
  if (verb === 'e') return goExp(prec < 0 ? f.toExponential() : f.toExponential(prec));
  if (prec < 0) return formatFloatV(f);
  // %.Ng: N significant digits, trailing zeros dropped, exponent form when exp < -4 || exp >= N.
  const [mant, expText] = f.toExponential(Math.max(prec, 1) - 1).split('e') as [string, string];
  const exp = Number(expText);
  const trimmed = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  if (exp < -4 || exp >= Math.max(prec, 1)) return goExp(`${trimmed}e${expText}`);
  return shortestFixed(Number(`${trimmed}e${expText}`));
}

function shortestFixed(f: number): string {
  const [mant, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace(/[-.]/g, '');
  let out: string;
  if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
  else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  return (neg ? '-' : '') + out;
}

/** JS "1.5e+7" → Go "1.5e+07" (at least two exponent digits). */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** fmt %v of a float64: shortest digits, exponent form when exp < -4 || exp >= 6 (1e+06). */
export function formatFloatV(f: number): string {
  if (!Number.isFinite(f)) return formatFloat(f);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  return exp < -4 || exp >= 6 ? goExp(f.toExponential()) : shortestFixed(f);
}
