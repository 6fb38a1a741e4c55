/** A valid story big enough that inkjs needs seconds to compile it (about 5 s for 2,000 knots on a busy 2-core machine). */
export function slowInk(knots = 1500): string {
  let src = '-> k0\n';
  for (let i = 0; i < knots; i++) src += `=== k${i} ===\nRoom ${i} is {~dark|dim|bright} and {~wide|narrow}.\n* [Go on] -> k${(i + 1) % knots}\n* [Go back] -> k${Math.max(0, i - 1)}\n`;
  return src;
}
