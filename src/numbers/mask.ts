/**
 * Phone numbers are personal data: logs and error messages show them masked, keeping only what
 * helps an operator (the country code and the last two digits).
 */
export function maskNumber(e164: string): string {
  if (e164.length <= 6) return '***';
  return `${e164.slice(0, 3)}${'*'.repeat(e164.length - 5)}${e164.slice(-2)}`;
}
