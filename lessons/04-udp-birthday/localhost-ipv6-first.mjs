// Test fixture: makes `localhost` resolve to ::1 first, as it does on many machines, so the tests
// can check that the sender and receiver still meet. Loaded with `node --import`.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";

const lookup = dns.promises.lookup;
dns.promises.lookup = (host, options) =>
  host === "localhost" ? Promise.resolve({ address: "::1", family: 6 }) : lookup(host, options);
syncBuiltinESMExports();
