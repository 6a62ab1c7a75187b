import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RUN_CACHE_DIR_ENV } from "./run-cache";

/** jest globalSetup: a cache directory for this run; workers inherit the variable. */
export default function setup(): void {
  process.env[RUN_CACHE_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), "tap-dr-runs-"));
}
