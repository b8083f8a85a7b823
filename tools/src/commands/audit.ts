// `npm run audit`: fails on any high or critical advisory in the dependency tree. Where the
// registry offers no audit service (some mirrors and sandboxes answer 405), it says so and
// passes, so CI there still runs; GitHub's CI always reaches the real service.
import { usageOnHelp } from "../lib/help.ts";
import { repositoryRoot, startNpm } from "../lib/lessons.ts";

usageOnHelp(`Usage: npm run audit

Fails on any high or critical advisory in the dependency tree (npm audit).`);

const audit = startNpm(["audit", "--json"], { cwd: repositoryRoot });
await audit.exit(120_000);
const report = JSON.parse(audit.stdout.join("\n") || "{}") as {
  metadata?: { vulnerabilities: Record<string, number> };
  message?: string;
};

if (report.metadata === undefined) {
  console.log(`npm audit: no audit service here (${report.message ?? "no answer"}); skipped.`);
} else {
  const { high = 0, critical = 0, ...rest } = report.metadata.vulnerabilities;
  const others = Object.entries(rest).filter(([level, count]) => level !== "total" && count > 0);
  console.log(
    `npm audit: ${critical} critical, ${high} high` +
      others.map(([level, count]) => `, ${count} ${level}`).join(""),
  );
  if (high + critical > 0) {
    console.error("High or critical advisories: run `npm audit` for details and `npm audit fix`.");
    process.exitCode = 1;
  }
}
