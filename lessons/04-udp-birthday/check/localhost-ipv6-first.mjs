// Test fixture: makes `localhost` resolve to ::1 first, then 127.0.0.1, as it does on macOS and
// Windows, so a test can check what a program does there. Loaded with `node --import`.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";

const ipv6First = [
  { address: "::1", family: 6 },
  { address: "127.0.0.1", family: 4 },
];
const lookup = dns.promises.lookup;
dns.promises.lookup = (host, options) => {
  if (host !== "localhost") return lookup(host, options);
  const all = typeof options === "object" && options !== null && options.all === true;
  return Promise.resolve(all ? ipv6First : ipv6First[0]);
};
syncBuiltinESMExports();
