// The types of reporter.js, which stays JavaScript: Node 20 loads reporters before tsx can.
import type { TestEvent } from "node:test/reporters";

export interface StepResult {
  number: number;
  name: string;
  status: "pass" | "fail" | "not applicable" | "skipped";
  /** Why it failed, in words, with its hint; why it did not run; empty when it passed. */
  verdict: string;
}

export default function stepReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string>;
export const lastRun: { steps: StepResult[]; endedEarly: string | undefined };
export function compare(actual: string, expected: string): string[];
