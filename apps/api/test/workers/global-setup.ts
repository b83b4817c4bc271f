// Node side of the Workers tests: a real sqld on a free loopback port with a fresh database
// folder, and a loopback recipient system. workerd reaches both over HTTP.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startSqld } from "../../../../packages/db/test/sqld.ts";
import { checkWorkerBundle } from "./bundle-check.ts";
import { startLoopbackReceiver } from "./loopback-receiver.ts";

const REPO = resolve(import.meta.dirname, "../../../..");
const SAMPLE = resolve(REPO, "fixtures/memo/samples/v1.2-minimum.xml");
/** What the widgets build printed (scripts/sri.ts); the Worker's static assets are that build's output. */
const WIDGET_BUILD = resolve(REPO, "apps/widgets/dist/postvej-widgets.integrity.json");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sqld = await startSqld();
  const receiver = await startLoopbackReceiver();

  project.provide("libsqlUrl", sqld.url);
  project.provide("receiverUrl", receiver.url);
  project.provide("memoSample", readFileSync(SAMPLE, "utf8"));
  project.provide("workerBundle", await checkWorkerBundle(resolve(import.meta.dirname, "../..")));
  project.provide("widgetBuild", JSON.parse(readFileSync(WIDGET_BUILD, "utf8")) as { path: string; version: string; integrity: string });

  return async () => {
    await receiver.close();
    await sqld.stop();
  };
}
