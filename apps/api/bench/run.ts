import { benchDelivery, benchScheduler } from "./delivery.ts";
import { benchIntake } from "./intake.ts";
import { benchRelocation } from "./relocation.ts";

// `npm run bench -w @postvej/api`: every benchmark in turn, printing figures (never asserting).
const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  intake: benchIntake,
  delivery: benchDelivery,
  scheduler: benchScheduler,
  relocation: benchRelocation,
};
for (const [name, run] of Object.entries(benches)) {
  if (!only || only === name) await run();
}
