// What a long run under reset-closing clients says about lesson 3's server (endurance.ts runs
// it): whether its log is complete, and whether its memory stayed flat.
import { median } from "./stats.ts";

/** Growth of resident memory, late in the run against early on, that is still noise. */
export const FLAT_PERCENT = 5;

export interface Endurance {
  seconds: number;
  clients: number;
  /** Lookups whose reply arrived, each then closed with a reset. */
  requests: number;
  /** Lookups still waiting when the time was up, cut off by their clients. */
  unfinished: number;
  errors: number;
  /** From the server's own stop line. */
  answered: number;
  requestLines: number;
  resetLines: number;
  /** Resident memory, one sample per second. */
  rssBytes: number[];
}

/**
 * Whether every request and every reset got its line. The lookups cut off when the time was up
 * are the only ones the clients cannot account for: the server may have answered one, and a
 * client that closes with a reply still unread resets the connection too.
 */
export function logComplete(run: Endurance): boolean {
  const withinCutOff = (lines: number) =>
    lines >= run.requests && lines <= run.requests + run.unfinished;
  return (
    run.answered === run.requestLines &&
    withinCutOff(run.requestLines) &&
    withinCutOff(run.resetLines)
  );
}

export function describeLog(run: Endurance): string {
  const lines = `${run.requestLines} request lines (the server counted ${run.answered} answered) and ${run.resetLines} reset lines for ${run.requests} replies each followed by a reset (${run.unfinished} lookups cut off at the end)`;
  return `${logComplete(run) ? "log complete" : "LOG INCOMPLETE"}: ${lines}`;
}

/**
 * Resident memory early on (the second sixth of the run: 10 to 20 s of a minute, once start-up
 * and the first garbage collections have settled) against the last sixth, as medians.
 */
export function memoryTrend(rssBytes: number[]) {
  const sixth = Math.floor(rssBytes.length / 6);
  const early = median(rssBytes.slice(sixth, 2 * sixth));
  const late = median(rssBytes.slice(-sixth));
  const growthPercent = ((late - early) / early) * 100;
  // Too short a run (the bench's smoke run) has no settled part to judge.
  const flat = sixth > 0 ? growthPercent <= FLAT_PERCENT : undefined;
  return { early, late, growthPercent, flat };
}

export function describeMemory(run: Endurance): string {
  const { early, late, growthPercent, flat } = memoryTrend(run.rssBytes);
  if (flat === undefined) return `memory not judged: ${run.seconds} s is too short a run`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const verdict = flat ? "memory flat" : "MEMORY GREW";
  return `${verdict}: ${mib(early)} early, ${mib(late)} at the end (${growthPercent >= 0 ? "+" : ""}${growthPercent.toFixed(1)}%)`;
}
