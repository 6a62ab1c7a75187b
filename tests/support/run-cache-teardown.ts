import * as fs from "node:fs";
import { RUN_CACHE_DIR_ENV } from "./run-cache";

/** jest globalTeardown: removes the run's cache directory. */
export default function teardown(): void {
  const dir = process.env[RUN_CACHE_DIR_ENV];
  if (dir !== undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[RUN_CACHE_DIR_ENV];
  }
}
