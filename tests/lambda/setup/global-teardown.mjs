/** Stops what global-setup.mjs started and deletes its temporary directory. */
import { rm } from "node:fs/promises";

export default async function globalTeardown() {
  const state = globalThis.__TAP_DR_LAMBDA_TESTS__;
  if (state === undefined) return;
  await new Promise((resolve) => state.dynamo.close(() => resolve()));
  await state.pg.stop();
  await rm(state.dir, { recursive: true, force: true });
  globalThis.__TAP_DR_LAMBDA_TESTS__ = undefined;
}
