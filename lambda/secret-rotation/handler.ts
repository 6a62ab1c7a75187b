/** The rotation function's handler: a thin adapter over the rotation core. */
import { type RotationDeps, type RotationEvent, rotate } from "./rotation";

export function makeRotationHandler(deps: RotationDeps): (event: RotationEvent) => Promise<void> {
  return (event) => rotate(event, deps);
}
