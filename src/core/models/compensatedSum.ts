// A running sum by Neumaier's compensated summation (A. Neumaier 1974, "Rundungsfehleranalyse
// einiger Verfahren zur Summation endlicher Summen", ZAMM 54(1):39–51; Kahan's algorithm made
// safe for a term larger than the sum): the rounding error of each addition is kept and added
// back at the end, so the sum of n terms is off by about one rounding of the result instead of
// up to n. Log-likelihoods over tens of thousands of customers need it: a plain running sum
// rounds to ~1e-14 of itself, as much as the objective falls in an optimiser's last steps,
// whose line search then stalls short of the gradient tolerance.

/**
 * Σ terms, compensated.
 *
 * @example
 * const sum = new CompensatedSum();
 * for (const term of [1, 1e100, 1, -1e100]) sum.add(term);
 * sum.value // 2 (a plain running sum gives 0)
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const sum = this.sum + term;
    this.compensation += Math.abs(this.sum) >= Math.abs(term) ? this.sum - sum + term : term - sum + this.sum;
    this.sum = sum;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
