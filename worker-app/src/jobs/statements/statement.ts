/** A billing period, `YYYY-MM`. */
export const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** One account's statement for one period; amounts are whole minor units (cents). */
export interface Statement {
  accountId: string;
  period: string;
  currency: string;
  openingBalance: number;
  debits: number;
  credits: number;
  closingBalance: number;
  entryCount: number;
}

/** The ledger facts a statement needs. */
export interface Movement {
  date: string;
  side: 'debit' | 'credit';
  amount: number;
}

/** The first day of the month after `period`, e.g. `2027-01-01` for `2026-12`. */
export function nextPeriodStart(period: string): string {
  const match = PERIOD.exec(period);
  if (!match?.[1] || !match[2])
    throw new TypeError(`Expected a period like 2026-11, got ${JSON.stringify(period)}`);
  const total = Number(match[1]) * 12 + Number(match[2]);
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * Computes the statement of `period` from the balance before the ledger and every movement dated
 * before the end of the period (later movements are ignored, so the input may hold more).
 */
export function computeStatement(
  account: { id: string; currency: string; initialBalance: number },
  period: string,
  movements: readonly Movement[],
): Statement {
  const start = `${period}-01`;
  const end = nextPeriodStart(period);
  let openingBalance = account.initialBalance;
  let debits = 0;
  let credits = 0;
  let entryCount = 0;

  for (const movement of movements) {
    if (movement.date >= end) continue;
    const signed = movement.side === 'credit' ? movement.amount : -movement.amount;
    if (movement.date < start) {
      openingBalance += signed;
      continue;
    }
    entryCount += 1;
    if (movement.side === 'credit') credits += movement.amount;
    else debits += movement.amount;
  }

  return {
    accountId: account.id,
    period,
    currency: account.currency,
    openingBalance,
    debits,
    credits,
    closingBalance: openingBalance + credits - debits,
    entryCount,
  };
}
