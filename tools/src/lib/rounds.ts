// Races are provoked many times, never once. `npm test` runs each timing-dependent case 30 times
// (a race that strikes one time in three then slips through about once in 200,000 runs);
// `npm run soak -- --count N` runs each N times before a release.

/** How many rounds each race case runs: SOCKET_LESSONS_ROUNDS, else 30. */
export const raceRounds = Number(process.env.SOCKET_LESSONS_ROUNDS ?? "30");
if (!Number.isInteger(raceRounds) || raceRounds < 1) {
  throw new Error(`SOCKET_LESSONS_ROUNDS must be a whole number from 1 up, not "${raceRounds}".`);
}

/**
 * How many times each correct program at an edge of a lesson's contract is checked
 * (tools/exercises/python-edges.ts): SOCKET_LESSONS_EDGE_ROUNDS, else once, which npm test does;
 * `npm run soak -- --edges` asks for many.
 */
export const edgeRounds = Number(process.env.SOCKET_LESSONS_EDGE_ROUNDS ?? "1");
if (!Number.isInteger(edgeRounds) || edgeRounds < 1) {
  throw new Error(
    `SOCKET_LESSONS_EDGE_ROUNDS must be a whole number from 1 up, not "${edgeRounds}".`,
  );
}

/**
 * Runs `round(0)` to `round(times - 1)`, at most `concurrency` at once, and throws once all have
 * ended if any failed: how many, and the first few failures in full.
 */
export async function provoke(
  times: number,
  concurrency: number,
  round: (index: number) => Promise<void>,
): Promise<void> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < times; index = next++) {
      try {
        await round(index);
      } catch (error) {
        failures.push(
          `round ${index + 1}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, times) }, worker));
  if (failures.length > 0) {
    const shown = failures.slice(0, 3).join("\n\n");
    throw new Error(`${failures.length} of ${times} rounds failed. The first:\n\n${shown}`);
  }
}
