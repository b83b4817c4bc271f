import "./scratch.ts";
import { benchDelivery, benchScheduler } from "./delivery.ts";
import { benchEndToEnd } from "./e2e.ts";
import { benchIntake } from "./intake.ts";
import { benchRelocation } from "./relocation.ts";
import { benchStore } from "./store.ts";
import { benchStoreRemote } from "./store-remote.ts";

// `npm run bench -w @postvej/api`: every benchmark in turn, printing figures (never asserting).
const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  intake: benchIntake,
  store: benchStore,
  "store-remote": benchStoreRemote,
  delivery: benchDelivery,
  scheduler: benchScheduler,
  relocation: benchRelocation,
  e2e: benchEndToEnd,
};
for (const [name, run] of Object.entries(benches)) {
  if (!only || only === name) await run();
}
