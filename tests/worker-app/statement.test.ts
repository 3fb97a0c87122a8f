import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { generateAccount } from '../../worker-app/src/jobs/statements/demo-data.js';
import { computeStatement, nextPeriodStart } from '../../worker-app/src/jobs/statements/statement.js';

const ACCOUNT = { id: 'acct-000001', currency: 'EUR', initialBalance: 10_000 };

describe('computeStatement', () => {
  test('splits movements into the opening balance, debits and credits of the period', () => {
    const statement = computeStatement(ACCOUNT, '2026-03', [
      { date: '2026-02-27', side: 'debit', amount: 2_000 },
      { date: '2026-03-01', side: 'credit', amount: 500 },
      { date: '2026-03-31', side: 'debit', amount: 300 },
      { date: '2026-04-01', side: 'debit', amount: 9_999 },
    ]);
    assert.deepEqual(statement, {
      accountId: 'acct-000001',
      period: '2026-03',
      currency: 'EUR',
      openingBalance: 8_000,
      debits: 300,
      credits: 500,
      closingBalance: 8_200,
      entryCount: 2,
    });
  });

  test('rolls December over into January of the next year', () => {
    assert.equal(nextPeriodStart('2026-12'), '2027-01-01');
    assert.equal(nextPeriodStart('2026-09'), '2026-10-01');
    assert.throws(() => nextPeriodStart('2026-13'), TypeError);
  });

  test('ends the demo year with the balance of the whole ledger', () => {
    const { account, entries } = generateAccount(42);
    const net = entries.reduce((sum, e) => sum + (e.side === 'credit' ? e.amount : -e.amount), 0);
    const january = computeStatement(account, '2027-01', entries);
    assert.equal(january.openingBalance, account.initialBalance + net);
    assert.equal(january.entryCount, 0);
  });
});
