import { SeededRandom } from '../prng.js';

/** Bump when the generated data changes shape, so stored data of an older version is rewritten. */
export const DEMO_DATA_VERSION = 1;
const SEED = 20261201;
/** The ledger covers these months; statements of other periods are still valid (no movements). */
export const LEDGER_FIRST_MONTH = '2026-01';
export const LEDGER_MONTHS = 12;
export const CURRENCY = 'EUR';

/** A demo account as stored; amounts are whole minor units (cents). */
export interface DemoAccount {
  id: string;
  name: string;
  currency: string;
  /** Balance before the first ledger entry. */
  initialBalance: number;
}

/** One ledger movement; `rowKey` sorts by date, then sequence. */
export interface LedgerEntry {
  rowKey: string;
  date: string;
  side: 'debit' | 'credit';
  amount: number;
  memo: string;
}

const ACCOUNT_ID = /^acct-(\d{6})$/;

/** `acct-000042` for 42. */
export function accountId(index: number): string {
  return `acct-${String(index).padStart(6, '0')}`;
}

/** 42 for `acct-000042`, undefined for anything not shaped like an account id. */
export function accountIndex(id: string): number | undefined {
  const match = ACCOUNT_ID.exec(id);
  return match?.[1] ? Number(match[1]) : undefined;
}

function month(offset: number): string {
  const [year, mon] = LEDGER_FIRST_MONTH.split('-').map(Number) as [number, number];
  const total = year * 12 + (mon - 1) + offset;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Generates account `index` (1-based) and its ledger; the same index always gives the same data. */
export function generateAccount(index: number): { account: DemoAccount; entries: LedgerEntry[] } {
  const random = SeededRandom.for(SEED, index);
  const account: DemoAccount = {
    id: accountId(index),
    name: `Demo customer ${index}`,
    currency: CURRENCY,
    initialBalance: random.int(0, 500_000),
  };

  const entries: LedgerEntry[] = [];
  for (let m = 0; m < LEDGER_MONTHS; m += 1) {
    const days = Array.from({ length: random.int(0, 5) }, () => random.int(1, 28)).sort((a, b) => a - b);
    for (const day of days) {
      const date = `${month(m)}-${String(day).padStart(2, '0')}`;
      const side = random.next() < 0.6 ? 'debit' : 'credit';
      entries.push({
        rowKey: `${date}-${String(entries.length + 1).padStart(4, '0')}`,
        date,
        side,
        amount: random.int(100, side === 'debit' ? 40_000 : 60_000),
        memo: side === 'debit' ? 'Usage charge' : 'Payment received',
      });
    }
  }
  return { account, entries };
}
