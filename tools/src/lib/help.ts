// `--help` on every root command: its usage alone, on stdout, exit 0, and nothing run. Only as
// the first word, so that a command passed through (`npm run localhost-ipv6-first -- node
// --help`) keeps its own.
export function usageOnHelp(usage: string, args = process.argv.slice(2)): void {
  if (args[0] !== "--help" && args[0] !== "-h") return;
  console.log(usage);
  process.exit(0);
}
