const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/** True when `cvr` is eight digits that pass the modulus-11 check (weights 2,7,6,5,4,3,2,1). */
export function isValidCvr(cvr: string): boolean {
  if (!/^[0-9]{8}$/.test(cvr)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(cvr[i]) * CVR_WEIGHTS[i]!;
  return sum % 11 === 0;
}
