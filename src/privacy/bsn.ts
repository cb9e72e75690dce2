// The BSN eleven-test: for digits ABCDEFGHI, 9A+8B+7C+6D+5E+4F+3G+2H-1I must be divisible by 11.
// An 8-digit number gets a leading zero; all zeros is not a BSN.
export function isValidBsn(value: string): boolean {
  if (!/^[0-9]{8,9}$/.test(value)) return false;
  const digits = value.padStart(9, '0');
  if (digits === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}
