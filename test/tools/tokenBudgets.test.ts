/**
 * The token budgets of issue 11, measured by the bench's own rows in one run (bench/tokens.ts): all 38 tools
 * ≤ 4,200 o200k tokens, the read-only ones ≤ 2,000, the discovery exposure ≤ 700. A description made longer here
 * must be paid for by tighter wording elsewhere.
 */
import { expect, it } from "vitest";
import { tokenFootprint } from "../../bench/tokens.js";

it("meets every token budget of the bench in the same run", () => {
  const rows = tokenFootprint();
  const budgets = rows.filter((row) => row.pass !== null);
  expect(budgets.map((row) => row.goal)).toEqual(["≤ 4,200 (Truto-length set: 5,285)", "≤ 2,000", "≤ 700"]);
  for (const row of budgets) expect(row.pass, `${row.name}: ${row.value} (goal ${row.goal})`).toBe(true);
});
